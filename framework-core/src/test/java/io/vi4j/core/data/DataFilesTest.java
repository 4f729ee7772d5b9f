package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data paths that are not regular files are refused before anything is read from them. */
class DataFilesTest {

  @TempDir Path dir;

  @Test
  void endlessDeviceIsRefusedUpFrontForCsvAndIdx() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "needs /dev/zero");
    String expected = zero + ": not a regular file (a device, a pipe or a socket); give the path of a data file";
    // Before the check, the CSV reader read /dev/zero as one endless line until the heap ran out.
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      assertThatThrownBy(() -> CsvReader.read(zero)).isInstanceOf(DataException.class).hasMessage(expected);
      assertThatThrownBy(() -> IdxReader.read(zero)).isInstanceOf(DataException.class).hasMessage(expected);
    });
  }

  @Test
  void fifoIsRefusedWithoutBlocking() throws IOException, InterruptedException {
    Path fifo = dir.resolve("data.csv");
    int rc;
    try {
      rc = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
    } catch (IOException e) {
      rc = -1;
    }
    assumeTrue(rc == 0 && Files.exists(fifo), "needs mkfifo");
    // Opening a FIFO without a writer blocks: the check must come before any open.
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      assertThatThrownBy(() -> CsvReader.read(fifo))
          .isInstanceOf(DataException.class)
          .hasMessageStartingWith(fifo + ": not a regular file");
      assertThatThrownBy(() -> IdxReader.read(fifo))
          .isInstanceOf(DataException.class)
          .hasMessageStartingWith(fifo + ": not a regular file");
    });
  }

  @Test
  void symbolicLinkToAFileIsRead() throws IOException {
    Path target = Files.writeString(dir.resolve("real.csv"), "1,2\n");
    Path link;
    try {
      link = Files.createSymbolicLink(dir.resolve("link.csv"), target);
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "needs symbolic links");
      return;
    }
    org.assertj.core.api.Assertions.assertThat(CsvReader.read(link).rows()).isEqualTo(1);
  }
}
