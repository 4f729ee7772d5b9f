package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A finished run made to look killed at its first checkpoint, for tests of exact resume. */
final class KilledRuns {
  private KilledRuns() {}

  /**
   * Copies {@code run} to {@code cut} and leaves the copy as a run killed after its first checkpoint
   * leaves it: the first checkpoint only, no final parameters or summary, the record still "training".
   *
   * @return {@code cut}
   */
  static Path cutToFirstCheckpoint(Path run, Path cut) throws IOException {
    copy(run, cut);
    List<Path> checkpoints;
    try (Stream<Path> s = Files.list(cut.resolve("checkpoints"))) {
      checkpoints = s.sorted(Comparator.comparing(Path::toString)).toList();
    }
    assertThat(checkpoints.size()).as("checkpoints of " + run).isGreaterThan(1);
    for (Path later : checkpoints.subList(1, checkpoints.size())) {
      delete(later);
    }
    Files.delete(cut.resolve("parameters.bin"));
    Files.delete(cut.resolve("summary.json"));
    Path record = cut.resolve("run.json");
    Files.writeString(record, Files.readString(record).replace("\"state\" : \"finished\"", "\"state\" : \"training\""));
    return cut;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void delete(Path path) throws IOException {
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
