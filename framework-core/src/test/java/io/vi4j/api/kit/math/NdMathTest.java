package io.vi4j.api.kit.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vi4j.core.engine.Engines;
import org.junit.jupiter.api.Test;

class NdMathTest {

  @Test
  void inFloat64KeepsOnlyTheResultOnTheCallersManager() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      NDArray data = m.create(new float[] {1f, 2f, 3f, 4f}).reshape(2, 2);
      NDArray[] seen = new NDArray[2];
      NDArray sums = NdMath.inFloat64(data, x -> {
        seen[0] = x;
        seen[1] = x.mul(2);
        return seen[1].sum(new int[] {1});
      });
      assertThat(sums.getDataType()).isEqualTo(DataType.FLOAT64);
      assertThat(sums.getManager()).isSameAs(m);
      assertThat(sums.toDoubleArray()).containsExactly(6, 14);
      assertThat(seen[0].isReleased()).isTrue();
      assertThat(seen[1].isReleased()).isTrue();
      assertThat(data.isReleased()).isFalse();
      assertThat(data.getDataType()).isEqualTo(DataType.FLOAT32);
    }
  }

  @Test
  void logSumExpMatchesDirectSumAndSurvivesLargeValues() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      NDArray x = m.create(new float[] {1f, 2f, 3f, 1000f, 1001f, 1002f}).reshape(2, 3);
      float[] lse = NdMath.logSumExp(x, 1).toFloatArray();
      double expected = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
      assertThat((double) lse[0]).isCloseTo(expected, within(1e-5));
      assertThat((double) lse[1]).isCloseTo(999 + expected, within(1e-3));
      float[] lme = NdMath.logMeanExp(x, 1).toFloatArray();
      assertThat((double) lme[0]).isCloseTo(expected - Math.log(3), within(1e-5));
    }
  }

  @Test
  void bernoulliLogProbIsTheCrossEntropyAndStaysFiniteForSaturatedLogits() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      float[] logits = {-3f, 0.5f, 4f, -100f, 100f};
      float[] targets = {0f, 1f, 0.25f, 1f, 0f};
      float[] got = NdMath.bernoulliLogProb(m.create(logits), m.create(targets)).toFloatArray();
      for (int i = 0; i < 3; i++) {
        double p = 1 / (1 + Math.exp(-logits[i]));
        double expected = targets[i] * Math.log(p) + (1 - targets[i]) * Math.log(1 - p);
        assertThat((double) got[i]).isCloseTo(expected, within(1e-5));
      }
      assertThat((double) got[3]).isCloseTo(-100, within(1e-3));
      assertThat((double) got[4]).isCloseTo(-100, within(1e-3));
    }
  }

  @Test
  void bernoulliLogProbHasTheGradientTargetMinusSigmoidEvenWhenSaturated() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      float[] logits = {-3f, 0.5f, 4f, -100f, 100f, 30f, -30f};
      float[] targets = {0f, 1f, 0.25f, 1f, 0f, 0.5f, 0.5f};
      ai.djl.ndarray.NDArray l = m.create(logits);
      l.setRequiresGradient(true);
      try (ai.djl.training.GradientCollector c = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        c.backward(NdMath.bernoulliLogProb(l, m.create(targets)).sum());
      }
      float[] gradient = l.getGradient().toFloatArray();
      for (int i = 0; i < logits.length; i++) {
        double expected = targets[i] - 1 / (1 + Math.exp(-logits[i]));
        assertThat((double) gradient[i]).as("d/dl at l = %s, y = %s", logits[i], targets[i])
            .isCloseTo(expected, within(1e-6));
      }
    }
  }

  @Test
  void logSigmoidIsFiniteFarLeft() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      float[] got = NdMath.logSigmoid(m.create(new float[] {-100f, 0f})).toFloatArray();
      assertThat((double) got[0]).isCloseTo(-100, within(1e-3));
      assertThat((double) got[1]).isCloseTo(-Math.log(2), within(1e-6));
    }
  }

  /**
   * Constants on a differentiable path must outlive a garbage collection between the forward and the
   * backward pass (DJL's {@code mul(Number)} does not: its constant's Java buffer is freed, and the
   * gradient reads whatever reuses the memory). Each round forms the products, forces a collection,
   * refills the heap's direct memory with 77s, and only then backpropagates.
   */
  @Test
  void gradientsThroughConstantsSurviveAGarbageCollectionBeforeBackward() {
    try (NDManager base = Engines.pytorch().newBaseManager()) {
      NDArray x = base.create(new float[] {0.3f, -1.2f, 2.0f});
      x.setRequiresGradient(true);
      java.util.List<java.nio.ByteBuffer> churn = new java.util.ArrayList<>();
      for (int round = 0; round < 60; round++) {
        try (NDManager step = base.newSubManager()) {
          try (ai.djl.training.GradientCollector collector =
              ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray y = x;
            // KL(N(μ, e^lv) ‖ N(0, 1)) with lv = x, μ = 0: its gradient is ½(e^lv − 1).
            NDArray kl = new io.vi4j.api.kit.distribution.DiagonalGaussian(y.zerosLike(), y)
                .analyticKl(new io.vi4j.api.kit.distribution.StandardNormal(step, 1, 3)).orElseThrow();
            NDArray total = kl.add(NdMath.times(y, 0.5).sum()).add(NdMath.atLeast(y, 0.0).sum());
            System.gc();
            for (int i = 0; i < 200; i++) {
              java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(4).order(java.nio.ByteOrder.nativeOrder());
              b.putFloat(0, 77f);
              churn.add(b);
            }
            collector.backward(total);
          }
          float[] g = x.getGradient().toFloatArray();
          float[] v = {0.3f, -1.2f, 2.0f};
          for (int i = 0; i < 3; i++) {
            double expected = 0.5 * (Math.exp(v[i]) - 1) + 0.5 + (v[i] > 0 ? 1 : 0);
            assertThat((double) g[i]).as("round " + round + ", coordinate " + i).isCloseTo(expected, within(1e-5));
          }
          x.getGradient().subi(x.getGradient());
        }
        if (churn.size() > 4000) {
          churn.clear();
        }
      }
    }
  }
}
