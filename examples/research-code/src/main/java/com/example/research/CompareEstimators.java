package com.example.research;

import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.core.Vi4j;
import io.vi4j.core.data.SpritesDataSpec;
import io.vi4j.core.eval.LogLikelihoodReport;
import io.vi4j.core.run.TrainedModel;
import io.vi4j.plugins.decoders.BernoulliMlpDecoderSpec;
import io.vi4j.plugins.encoders.GaussianMlpEncoderSpec;
import io.vi4j.plugins.estimators.PathDerivativeSpec;
import io.vi4j.plugins.estimators.ReparameterizationSpec;
import io.vi4j.plugins.priors.StandardNormalPriorSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small piece of research code: the same VAE trained with two gradient estimators (the
 * reparameterization trick, and the path derivative of Roeder et al. 2017, which drops the score term)
 * on vi4j's built-in sprites, each scored by its IWAE log-likelihood (k = 200) on held-out items.
 */
public final class CompareEstimators {
  private CompareEstimators() {}

  /** Trains both models and prints one line per estimator. */
  public static void main(String[] args) {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Map<String, EstimatorSpec> estimators = new LinkedHashMap<>();
    estimators.put("reparameterization", new ReparameterizationSpec(1));
    estimators.put("path-derivative", new PathDerivativeSpec(1));
    for (var entry : estimators.entrySet()) {
      try (TrainedModel vae = Vi4j.vae()
          .seed(1)
          .data(new SpritesDataSpec(4000, 500, null, null))
          .latentDim(4)
          .prior(new StandardNormalPriorSpec())
          .encoder(new GaussianMlpEncoderSpec(List.of(128), ActivationName.RELU))
          .decoder(new BernoulliMlpDecoderSpec(List.of(128), ActivationName.RELU))
          .estimator(entry.getValue())
          .epochs(epochs).batchSize(64).learningRate(2e-3)
          .train()) {
        LogLikelihoodReport ll = vae.logLikelihood(200, 500);
        System.out.printf("%-20s test -ELBO %8.3f nats   IWAE log p(x) %8.3f ± %.3f nats (k=%d, %d items)%n",
            entry.getKey(), vae.testNegativeElbo().negativeElbo(), ll.meanLogLikelihood(), ll.standardError(),
            ll.k(), ll.items());
      }
    }
  }
}
