package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.apps.bench.KillAndResume;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact resume, end to end: {@code vi4j train} in a child JVM is killed with SIGKILL at three random
 * steps per round and resumed with {@code vi4j train --resume} each time; the final parameters must be
 * byte-identical to an uninterrupted run's. Two rounds cover both variants (a score-function estimator
 * with a learned baseline, and reparameterization under dynamic binarization). The 20-round version is
 * {@code apps/bench/kill-resume.sh}.
 */
class KillAndResumeTest {

  @Test
  void aRunKilledAtRandomStepsAndResumedEndsWithIdenticalParameters(@TempDir Path work) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    long seed = Long.getLong("vi4j.killresume.seed", System.nanoTime());
    List<KillAndResume.Round> rounds =
        new KillAndResume(work, new PrintStream(log, true, StandardCharsets.UTF_8)).run(2, 3, seed);
    String report = "seed " + seed + "\n" + log.toString(StandardCharsets.UTF_8);
    assertThat(rounds).as(report).hasSize(2);
    for (KillAndResume.Round round : rounds) {
      assertThat(round.killedAtCheckpoint()).as(report).hasSize(3);
      assertThat(round.resumes()).as(report).isEqualTo(3);
      assertThat(round.identical()).as(report).isTrue();
    }
  }
}
