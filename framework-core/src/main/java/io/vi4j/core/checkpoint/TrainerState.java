package io.vi4j.core.checkpoint;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.vi4j.core.train.EpochMetrics;
import java.util.List;

/**
 * The trainer's position and bookkeeping at a checkpoint ({@code trainer.json}); the arrays are in
 * {@code tensors.bin}.
 *
 * @param globalStep steps done since the run began
 * @param epoch the 1-based epoch the checkpoint lies in
 * @param stepsDone steps of that epoch done (equal to {@code stepsPerEpoch} at an epoch's end, after its
 *     evaluation)
 * @param stepsPerEpoch minibatches per epoch
 * @param trainItems items in the training split
 * @param batchSize items per minibatch
 * @param adamStep Adam's step count {@code t}
 * @param epochSums the epoch's running sums of the reconstruction and KL terms over its items so far
 * @param configDigest SHA-256 of the resolved config the run was started with
 * @param metrics the figures of every finished epoch (read by {@link StoredMetrics}, so that those of a
 *     checkpoint written before the schedules existed read too)
 * @param slices the slices each step was cut into ({@code training.shards}, 1 for whole steps); null in a
 *     checkpoint written before vi4j recorded it
 */
public record TrainerState(
    long globalStep,
    int epoch,
    int stepsDone,
    int stepsPerEpoch,
    int trainItems,
    int batchSize,
    long adamStep,
    double[] epochSums,
    String configDigest,
    @JsonDeserialize(contentUsing = StoredMetrics.class) List<EpochMetrics> metrics,
    Integer slices) {

  /** @return whether the checkpoint was taken after its epoch's last step and evaluation. */
  public boolean atEpochEnd() {
    return stepsDone == stepsPerEpoch;
  }
}
