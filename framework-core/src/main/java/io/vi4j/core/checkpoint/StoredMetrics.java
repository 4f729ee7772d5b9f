package io.vi4j.core.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.vi4j.core.train.EpochMetrics;
import java.io.IOException;

/**
 * Reads an epoch's figures from {@code trainer.json}, also as a checkpoint written before the schedules
 * existed holds them: without {@code learning_rate}, {@code kl_weight}, the validation figures and
 * {@code stopped_early}, which are then NaN (the trainer fills in the learning rate and KL weight, which
 * are functions of the position) and false. Unknown fields are still refused.
 */
final class StoredMetrics extends StdDeserializer<EpochMetrics> {

  /** The JSON object's fields; the newer ones may be absent. */
  record Fields(
      int epoch,
      double trainNegElbo,
      double trainReconstruction,
      double trainKl,
      double testNegElbo,
      double testReconstruction,
      double testKl,
      double trainSeconds,
      double samplesPerSecond,
      double evalSeconds,
      Double learningRate,
      Double klWeight,
      Double validationNegElbo,
      Double validationReconstruction,
      Double validationKl,
      Boolean stoppedEarly) {}

  StoredMetrics() {
    super(EpochMetrics.class);
  }

  @Override
  public EpochMetrics deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    Fields f = context.readValue(parser, Fields.class);
    return new EpochMetrics(f.epoch(), f.trainNegElbo(), f.trainReconstruction(), f.trainKl(), f.testNegElbo(),
        f.testReconstruction(), f.testKl(), f.trainSeconds(), f.samplesPerSecond(), f.evalSeconds(),
        orNaN(f.learningRate()), orNaN(f.klWeight()), orNaN(f.validationNegElbo()),
        orNaN(f.validationReconstruction()), orNaN(f.validationKl()), Boolean.TRUE.equals(f.stoppedEarly()));
  }

  private static double orNaN(Double value) {
    return value == null ? Double.NaN : value;
  }
}
