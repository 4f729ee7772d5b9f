package io.vi4j.plugins.decoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.core.engine.Engines;
import io.vi4j.plugins.decoders.MixedMlpDecoderSpec.ColumnGroup;
import io.vi4j.plugins.decoders.MixedMlpDecoderSpec.Kind;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The mixed-column likelihood against a direct computation, its draws, and its column checks. */
class MixedColumnsTest {
  // 2 gaussian, 1 bernoulli, 1 categorical of 3 levels, 1 poisson: outputs 4 + 1 + 3 + 1 = 9, columns 5.
  private static final List<ColumnGroup> GROUPS = List.of(
      new ColumnGroup(Kind.GAUSSIAN, 2, null, 0.01), new ColumnGroup(Kind.BERNOULLI, null, null, null),
      new ColumnGroup(Kind.CATEGORICAL, null, 3, null), new ColumnGroup(Kind.POISSON, null, null, null));

  @Test
  void logLikelihoodIsTheSumOfTheColumnsComputedDirectly() {
    Random random = new Random(2);
    int items = 6;
    float[] out = new float[items * 9];
    float[] x = new float[items * 5];
    for (int i = 0; i < items; i++) {
      for (int j = 0; j < 9; j++) {
        out[i * 9 + j] = (float) random.nextGaussian();
      }
      x[i * 5] = (float) random.nextGaussian();
      x[i * 5 + 1] = (float) random.nextGaussian();
      x[i * 5 + 2] = random.nextInt(2);
      x[i * 5 + 3] = random.nextInt(3);
      x[i * 5 + 4] = random.nextInt(5);
    }
    out[9 + 2] = -20; // a log-variance below the floor: σ = 0.01
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      MixedColumns q = new MixedColumns(m.create(out, new Shape(items, 9)), GROUPS);
      float[] perColumn = q.logProbPerCoordinate(m.create(x, new Shape(items, 5))).toFloatArray();
      float[] total = q.logProb(m.create(x, new Shape(items, 5))).toFloatArray();
      for (int i = 0; i < items; i++) {
        double[] expected = new double[5];
        for (int c = 0; c < 2; c++) {
          double mean = out[i * 9 + c];
          double logVariance = Math.max(out[i * 9 + 2 + c], 2 * Math.log(0.01));
          double d = x[i * 5 + c] - mean;
          expected[c] = -0.5 * (Math.log(2 * Math.PI) + logVariance + d * d / Math.exp(logVariance));
        }
        double p = 1 / (1 + Math.exp(-out[i * 9 + 4]));
        expected[2] = Math.log(x[i * 5 + 2] == 1 ? p : 1 - p);
        double norm = 0;
        for (int l = 0; l < 3; l++) {
          norm += Math.exp(out[i * 9 + 5 + l]);
        }
        expected[3] = out[i * 9 + 5 + (int) x[i * 5 + 3]] - Math.log(norm);
        double rate = Math.exp(out[i * 9 + 8]);
        int k = (int) x[i * 5 + 4];
        double logFactorial = 0;
        for (int j = 2; j <= k; j++) {
          logFactorial += Math.log(j);
        }
        expected[4] = k * Math.log(rate) - rate - logFactorial;
        double sum = 0;
        for (int c = 0; c < 5; c++) {
          assertThat((double) perColumn[i * 5 + c]).as("item %d column %d", i, c)
              .isCloseTo(expected[c], within(1e-3 * (1 + Math.abs(expected[c]))));
          sum += expected[c];
        }
        assertThat((double) total[i]).isCloseTo(sum, within(1e-3 * (1 + Math.abs(sum))));
      }
    }
  }

  @Test
  void drawsTakeEachColumnsValuesAndFollowItsMeans() {
    float[] out = {0.5f, -1f, 2 * (float) Math.log(0.2), 0f, 1.5f, 0f, 2f, 0f, (float) Math.log(3)};
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(5);
      MixedColumns q = new MixedColumns(m.create(out, new Shape(1, 9)), GROUPS);
      int k = 20_000;
      float[] draws = q.sample(k).toFloatArray();
      double[] mean = new double[5];
      int[] levels = new int[3];
      for (int s = 0; s < k; s++) {
        assertThat(draws[s * 5 + 2]).isIn(0f, 1f);
        assertThat(draws[s * 5 + 3]).isIn(0f, 1f, 2f);
        assertThat(draws[s * 5 + 4]).isGreaterThanOrEqualTo(0f).isEqualTo((float) Math.rint(draws[s * 5 + 4]));
        levels[(int) draws[s * 5 + 3]]++;
        for (int c = 0; c < 5; c++) {
          mean[c] += draws[s * 5 + c] / k;
        }
      }
      assertThat(mean[0]).isCloseTo(0.5, within(0.01));
      assertThat(mean[2]).isCloseTo(1 / (1 + Math.exp(-1.5)), within(0.02));
      assertThat(mean[4]).isCloseTo(3.0, within(0.06));
      double z = 2 + Math.exp(2);
      assertThat(levels[1] / (double) k).isCloseTo(Math.exp(2) / z, within(0.02));
      float[] means = q.mean().orElseThrow().toFloatArray();
      assertThat(means[3]).as("the most probable level").isEqualTo(1f);
      assertThat(means[4]).isCloseTo(3f, within(1e-4f));
    }
  }

  @Test
  void aStudentTColumnHasTheLocationScaleDensityAndDraws() {
    double df = 3;
    ColumnGroup t = new ColumnGroup(Kind.STUDENT_T, 1, null, 0.01, df);
    float[] out = {0.7f, 2 * (float) Math.log(1.5), -0.3f, -20f}; // item 1's scale is below the floor
    float[] x = {2.9f, -0.25f};
    org.apache.commons.math3.distribution.TDistribution standard =
        new org.apache.commons.math3.distribution.TDistribution(df);
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      MixedColumns q = new MixedColumns(m.create(out, new Shape(2, 2)), List.of(t));
      float[] logDensity = q.logProb(m.create(x, new Shape(2, 1))).toFloatArray();
      double[] sigma = {1.5, 0.01};
      double[] mu = {0.7, -0.3};
      for (int i = 0; i < 2; i++) {
        double expected = standard.logDensity((x[i] - mu[i]) / sigma[i]) - Math.log(sigma[i]);
        assertThat((double) logDensity[i]).as("item %d", i).isCloseTo(expected, within(1e-4 * (1 + Math.abs(expected))));
      }
      Engines.seed(3);
      int k = 20_000;
      float[] draws = q.sample(k).toFloatArray(); // (k, 2, 1)
      int inside = 0;
      double quartile = standard.inverseCumulativeProbability(0.75) * 1.5;
      java.util.List<Double> first = new java.util.ArrayList<>();
      for (int j = 0; j < k; j++) {
        double v = draws[j * 2];
        first.add(v);
        inside += Math.abs(v - 0.7) < quartile ? 1 : 0;
      }
      java.util.Collections.sort(first);
      // The median is μ and half the draws lie within the quartiles (standard errors 0.014 and 0.0035).
      assertThat(first.get(k / 2)).isCloseTo(0.7, within(0.06));
      assertThat(inside / (double) k).isCloseTo(0.5, within(0.015));
      assertThat(q.mean().orElseThrow().toFloatArray()).containsExactly(0.7f, -0.3f);
    }
    assertThatThrownBy(() -> new ColumnGroup(Kind.STUDENT_T, 1, null, null, 1.0)).hasMessageContaining("more than 1");
    assertThatThrownBy(() -> new ColumnGroup(Kind.GAUSSIAN, 1, null, null, 4.0))
        .hasMessage("df is used only by student-t columns, not gaussian");
    assertThat(Kind.parse("student-t")).isEqualTo(Kind.STUDENT_T);
    assertThatThrownBy(() -> new MixedMlpDecoderSpec(null, null, null, Kind.POISSON))
        .hasMessageContaining("gaussian or student-t");
  }

  @Test
  void theGradientReachesTheLatentAndEveryWeightWithOneGroupOrSeveral() {
    List<List<ColumnGroup>> layouts = List.of(
        List.of(new ColumnGroup(Kind.BERNOULLI, 4, null, null)), // one kind only: every column binary
        List.of(new ColumnGroup(Kind.POISSON, 4, null, null)),
        List.of(new ColumnGroup(Kind.STUDENT_T, 4, null, null, 4.0)),
        List.of(new ColumnGroup(Kind.GAUSSIAN, 2, null, null), new ColumnGroup(Kind.BERNOULLI, 2, null, null)));
    for (List<ColumnGroup> groups : layouts) {
      try (NDManager m = Engines.pytorch().newBaseManager()) {
        Engines.seed(1);
        MixedMlpDecoder decoder = new MixedMlpDecoder(m, 2, 4, new MixedMlpDecoderSpec(List.of(8), null, groups));
        ai.djl.ndarray.NDArray x = m.create(new float[] {1, 0, 1, 1, 0, 0, 1, 0}, new Shape(2, 4));
        ai.djl.ndarray.NDArray t = m.create(new float[] {0.3f, -0.2f, 1f, 0.5f, 0.1f, 0.1f, -1f, 2f}, new Shape(2, 2, 2));
        t.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
          collector.backward(decoder.conditional(t).logProb(x).sum());
        }
        assertThat(t.getGradient().abs().sum().getFloat()).as("d log p / d t, groups %s", groups).isGreaterThan(0f);
        decoder.parameters().forEach(p -> assertThat(p.getValue().getArray().getGradient().abs().sum().getFloat())
            .as("gradient of %s, groups %s", p.getKey(), groups).isGreaterThan(0f));
      }
    }
  }

  @Test
  void valuesAColumnCannotTakeAreNamedAndBadSettingsToo() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      MixedMlpDecoder decoder = new MixedMlpDecoder(m, 2, 5, new MixedMlpDecoderSpec(List.of(4), null, GROUPS));
      assertThat(decoder.columnProblem(0, -3.5)).isNull();
      assertThat(decoder.columnProblem(2, 0.5)).isEqualTo("0 or 1 (a bernoulli column)");
      assertThat(decoder.columnProblem(3, 3)).isEqualTo("a level code 0..2 (a categorical column)");
      assertThat(decoder.columnProblem(4, 1.5)).isEqualTo("a count 0, 1, 2, ... (a poisson column)");
      assertThat(decoder.columnProblem(4, 7)).isNull();
      assertThatThrownBy(() -> new MixedMlpDecoder(m, 2, 6, new MixedMlpDecoderSpec(List.of(4), null, GROUPS)))
          .hasMessageContaining("the groups cover 5 columns, but the data has 6");
    }
    assertThatThrownBy(() -> new ColumnGroup(Kind.CATEGORICAL, null, null, null)).hasMessageContaining("levels");
    assertThatThrownBy(() -> new ColumnGroup(Kind.POISSON, null, 3, null))
        .hasMessageContaining("levels is used only by categorical columns");
    assertThatThrownBy(() -> new MixedMlpDecoderSpec(null, null, List.of())).hasMessageContaining("columns");
  }
}
