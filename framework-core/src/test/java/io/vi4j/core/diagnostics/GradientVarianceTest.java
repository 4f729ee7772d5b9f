package io.vi4j.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.core.data.SpritesDataset;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.testing.ReparameterizedTestEstimator;
import io.vi4j.core.testing.TinyMlpModel;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GradientVarianceTest {

  /** The analytic KL alone: a deterministic gradient, so its variance is zero and its mean is exact. */
  static final class KlOnly implements GradientEstimator {
    @Override
    public ElboEstimate estimate(LatentVariableModel model, NDArray batch) {
      var q = model.encoder().posterior(batch);
      NDArray kl = q.analyticKl(model.prior().distribution(batch.getManager(), batch.getShape().get(0))).orElseThrow();
      return new ElboEstimate(kl.mean(), kl.zerosLike(), kl.stopGradient());
    }

    @Override
    public Set<Capability> requiredPosteriorCapabilities() {
      return EnumSet.noneOf(Capability.class);
    }
  }

  @Test
  void aDeterministicGradientHasZeroVarianceAndItsOwnNormAsSignal() {
    Dataset data = SpritesDataset.train(32, 1).dataset();
    NDManager manager = Engines.pytorch().newBaseManager();
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 3, 16), manager)) {
      GradientVarianceReport report = GradientVariance.measure(model, new KlOnly(), data, 16, 5, 1);
      assertThat(report.totalVariance()).isLessThan(1e-12);
      double expected = 0;
      try (NDManager step = manager.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(new KlOnly().estimate(model.model(), Evaluator.rows(step, data, 0, 16)).loss());
      }
      for (var p : model.model().encoder().parameters()) {
        try (NDArray g = p.getValue().getArray().getGradient()) {
          expected += g.square().sum().getFloat();
          g.muli(0);
        }
      }
      assertThat(report.meanSquaredNorm()).isCloseTo(expected, within(1e-6 * expected));
      assertThat(report.coordinates()).isEqualTo(784 * 16 + 16 + 16 * 6 + 6);
    }
  }

  @Test
  void aSampledGradientHasPositiveVarianceAndLeavesNoArraysBehind() {
    Dataset data = SpritesDataset.train(32, 1).dataset();
    NDManager manager = Engines.pytorch().newBaseManager();
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 3, 16), manager)) {
      int before = manager.getManagedArrays().size();
      Engines.seed(5);
      GradientVarianceReport report =
          GradientVariance.measure(model, new ReparameterizedTestEstimator(), data, 16, 10, 2);
      assertThat(report.totalVariance()).isPositive();
      assertThat(report.signalToNoise()).isPositive().isFinite();
      assertThat(manager.getManagedArrays()).hasSize(before);
    }
  }
}
