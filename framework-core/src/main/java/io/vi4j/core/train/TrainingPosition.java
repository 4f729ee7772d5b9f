package io.vi4j.core.train;

import java.util.List;

/**
 * Where training stands: the position a checkpoint saves and a resumed run starts from.
 *
 * @param epoch the 1-based epoch
 * @param stepsDone steps of that epoch done ({@code stepsPerEpoch} once the epoch, with its evaluation,
 *     has ended)
 * @param globalStep steps done since the run began
 * @param order the epoch's order of the training items (a permutation of {@code 0..N-1}); null at an
 *     epoch's end
 * @param epochSums the epoch's running sums of the reconstruction and KL terms so far, length 2
 * @param history the figures of every finished epoch
 * @param slices the slices the run's steps are cut into ({@code training.shards}), which a resumed run keeps
 *     where the config leaves the count to the machine; 0 when not known (the start of a run, or a
 *     checkpoint written before vi4j recorded it)
 */
public record TrainingPosition(int epoch, int stepsDone, long globalStep, long[] order, double[] epochSums,
    List<EpochMetrics> history, int slices) {

  /** The start of a run. */
  public static final TrainingPosition START = new TrainingPosition(1, 0, 0, null, null, List.of(), 0);

  /** @return whether the epoch has ended (every step done and evaluated). */
  public boolean atEpochEnd(int stepsPerEpoch) {
    return stepsDone == stepsPerEpoch;
  }
}
