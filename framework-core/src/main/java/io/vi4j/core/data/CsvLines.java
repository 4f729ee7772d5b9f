package io.vi4j.core.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;

/**
 * The lines of a text file, as {@link java.io.BufferedReader#readLine()} splits them ({@code \n},
 * {@code \r} or {@code \r\n} end a line), but refusing a line longer than a limit before it is held in
 * memory: an endless line (a binary file, a file without line breaks) fails naming its number instead
 * of filling the heap.
 */
final class CsvLines {
  private final Reader reader;
  private final Path file;
  private final int maxChars;
  private final char[] buffer = new char[1 << 16];
  private int position;
  private int limit;
  private boolean skipLineFeed;
  private long number;

  /**
   * @param reader the text, read in chunks (no need to buffer it)
   * @param file the file, for messages
   * @param maxChars the most characters a line may hold, without its line break
   */
  CsvLines(Reader reader, Path file, int maxChars) {
    this.reader = reader;
    this.file = file;
    this.maxChars = maxChars;
  }

  /** @return the 1-based number of the line {@link #next()} returned last (0 before the first) */
  long number() {
    return number;
  }

  /**
   * @return the next line without its line break, or null at the end of the file
   * @throws DataException {@code FILE: line L is longer than N characters, ...}
   */
  String next() throws IOException {
    StringBuilder line = null;
    while (true) {
      if (position >= limit) {
        int got = reader.read(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(got, 0);
        if (got < 0) {
          if (line == null) {
            return null;
          }
          number++;
          return line.toString();
        }
        continue;
      }
      if (skipLineFeed) {
        skipLineFeed = false;
        if (buffer[position] == '\n') {
          position++;
          continue;
        }
      }
      int start = position;
      while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
        position++;
      }
      int length = position - start;
      int held = line == null ? 0 : line.length();
      if ((long) held + length > maxChars) {
        throw new DataException(
            file,
            "line " + (number + 1) + " is longer than " + maxChars
                + " characters, the most a CSV line may hold; is this a CSV file?");
      }
      if (line == null) {
        line = new StringBuilder(Math.max(16, length));
      }
      line.append(buffer, start, length);
      if (position < limit) {
        skipLineFeed = buffer[position] == '\r';
        position++;
        number++;
        return line.toString();
      }
    }
  }
}
