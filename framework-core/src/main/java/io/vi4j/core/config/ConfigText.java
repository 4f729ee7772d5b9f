package io.vi4j.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Config text before YAML sees it: a file read through a bounded stream and decoded as strict UTF-8 (an
 * initial byte order mark skipped), and every text, file or command line, checked for its size and for
 * characters YAML does not allow, so that each of these ends in a one-line {@link ConfigException}.
 */
final class ConfigText {
  private ConfigText() {}

  /**
   * Reads a config file: at most {@link ConfigLoader#MAX_CONFIG_BYTES} bytes are read whatever the file
   * (a FIFO or a device too), a larger file is refused before it is read.
   */
  static String read(Path file) {
    int max = ConfigLoader.MAX_CONFIG_BYTES;
    byte[] bytes;
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        throw new ConfigException(file + ": is a directory, not a config file");
      }
      if (attributes.isRegularFile() && attributes.size() > max) {
        throw new ConfigException(file + ": " + attributes.size() + " bytes; a config is at most " + max + " bytes");
      }
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(max + 1);
      }
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such config file", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException(file + ": cannot be read: permission denied", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
    }
    if (bytes.length > max) {
      throw new ConfigException(file + ": more than " + max + " bytes; a config is at most " + max + " bytes");
    }
    return decode(bytes, file.toString());
  }

  /** @return the text of UTF-8 bytes, without an initial byte order mark; refuses other encodings */
  static String decode(byte[] bytes, String source) {
    if (bytes.length >= 2 && ((bytes[0] == (byte) 0xfe && bytes[1] == (byte) 0xff)
        || (bytes[0] == (byte) 0xff && bytes[1] == (byte) 0xfe))) {
      throw new ConfigException(source + ": UTF-16 text (it starts with a UTF-16 byte order mark); save the "
          + "config as UTF-8");
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new ConfigException(String.format("%s: not UTF-8 text (byte 0x%02X at offset %d, line %d); save the "
          + "config as UTF-8", source, bytes[at] & 0xff, at, line));
    }
    out.flip();
    if (out.hasRemaining() && out.charAt(0) == '\ufeff') {
      out.position(1);
    }
    return out.toString();
  }

  /**
   * Refuses text longer than {@code max} characters, and characters YAML does not allow (control
   * characters other than tab and line breaks, unpaired surrogates, U+FFFE and U+FFFF), naming the first
   * one's line and column.
   *
   * @param what what the limit is of, for the message: "a config", "a --set value", ...
   */
  static void check(String text, String source, int max, String what) {
    if (text.length() > max) {
      throw new ConfigException(source + ": " + text.length() + " characters; " + what + " is at most " + max
          + " characters");
    }
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!allowed(c) || (Character.isSurrogate(text.charAt(i)) && c < 0x10000)) {
        throw new ConfigException(String.format("%s: character U+%04X is not allowed in YAML (line %d, column %d);"
            + " inside double quotes, write it as the escape %s", source, c, line, column,
            c < 0x100 ? String.format("\\x%02X", c) : String.format("\\u%04X", c)));
      }
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      i += Character.charCount(c);
    }
  }

  /** YAML 1.1's printable characters (what SnakeYAML reads), tab and line breaks included. */
  private static boolean allowed(int c) {
    return (c >= 0x20 && c <= 0x7e) || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x85
        || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
  }
}
