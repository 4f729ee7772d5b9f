package io.vi4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The host pass's arithmetic: plain Adam for values of ordinary size, and no subnormal number kept. */
class HostAdamTest {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float STEP = 1e-3f;
  private static final float EPSILON = 1e-8f;
  private static final int N = 5000; // several chunks and a partial one

  private static void update(float[] w, float[] g, float[] m, float[] v) {
    new HostAdam().update(FloatBuffer.wrap(w), FloatBuffer.wrap(g), FloatBuffer.wrap(m), FloatBuffer.wrap(v),
        BETA1, BETA2, STEP, EPSILON, 0f);
  }

  private static boolean subnormal(float x) {
    return x != 0 && Math.abs(x) < Float.MIN_NORMAL;
  }

  /**
   * Gaussian weights; gradients and first moments of either sign and second moments, log-uniform in
   * magnitude between the powers of two given.
   */
  private static void fill(SplittableRandom random, float[] w, float[] g, int gradientFrom, int gradientTo,
      float[] m, float[] v, int momentFrom, int momentTo) {
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian();
      g[i] = magnitude(random, gradientFrom, gradientTo) * (random.nextBoolean() ? 1 : -1);
      m[i] = magnitude(random, momentFrom, momentTo) * (random.nextBoolean() ? 1 : -1);
      v[i] = magnitude(random, momentFrom, momentTo);
    }
  }

  private static float magnitude(SplittableRandom random, int fromExponent, int toExponent) {
    return (float) Math.pow(2, fromExponent + (toExponent - fromExponent) * random.nextDouble());
  }

  @Test
  void valuesOfOrdinarySizeFollowPlainArithmeticBitForBit() {
    float[] w = new float[N];
    float[] g = new float[N];
    float[] m = new float[N];
    float[] v = new float[N];
    fill(new SplittableRandom(5), w, g, -24, 4, m, v, -60, 0); // ordinary sizes only
    float[] w0 = w.clone();
    float[] g0 = g.clone();
    float[] m0 = m.clone();
    float[] v0 = v.clone();
    update(w, g, m, v);
    for (int i = 0; i < N; i++) {
      float mi = BETA1 * m0[i] + (1 - BETA1) * g0[i];
      float vi = BETA2 * v0[i] + (1 - BETA2) * g0[i] * g0[i];
      assertThat(m[i]).as("m[%d]", i).isEqualTo(mi);
      assertThat(v[i]).as("v[%d]", i).isEqualTo(vi);
      assertThat(w[i]).as("w[%d]", i).isEqualTo(w0[i] - STEP * mi / ((float) Math.sqrt(vi) + EPSILON));
      assertThat(g[i]).isZero();
    }
  }

  @Test
  void subnormalGradientsAndMomentsBecomeZeroAndNoneIsMade() {
    float[] w = new float[N];
    float[] g = new float[N];
    float[] m = new float[N];
    float[] v = new float[N];
    // anywhere from subnormal to ordinary: products and squares would underflow
    fill(new SplittableRandom(7), w, g, -149, -4, m, v, -149, -4);
    g[0] = Float.MIN_VALUE; // a subnormal gradient with zero moments leaves them zero and the weight alone
    m[0] = 0f;
    v[0] = 0f;
    float w0 = w[0];
    for (int step = 0; step < 3; step++) {
      update(w, g, m, v);
      for (int i = 0; i < N; i++) {
        assertThat(subnormal(m[i]) || subnormal(v[i])).as("moments of %d after step %d", i, step).isFalse();
        assertThat(Float.isFinite(w[i])).isTrue();
      }
      g[0] = Float.MIN_VALUE;
    }
    assertThat(m[0]).isZero();
    assertThat(v[0]).isZero();
    assertThat(w[0]).isEqualTo(w0);
  }

  @Test
  void aDecayingMomentReachesZeroInsteadOfStayingSubnormal() {
    float[] w = {1f};
    float[] g = {0f};
    float[] m = {1e-30f};
    float[] v = {1e-30f};
    for (int step = 0; step < 2000; step++) {
      update(w, g, m, v);
      assertThat(subnormal(m[0]) || subnormal(v[0])).isFalse();
    }
    // plain arithmetic keeps 0.9·m at the smallest subnormal forever (0.9 of it rounds back to it); here the
    // moments end on the floor's grid, normal numbers no larger than a few multiples of 2^-103
    float stuck = Float.MIN_VALUE;
    assertThat(BETA1 * stuck).isEqualTo(stuck);
    assertThat(Math.abs(m[0])).isLessThan(0x1p-95f);
    assertThat(v[0]).isLessThan(0x1p-90f);
    assertThat(w[0]).isEqualTo(w[0] - STEP * m[0] / ((float) Math.sqrt(v[0]) + EPSILON));
  }
}
