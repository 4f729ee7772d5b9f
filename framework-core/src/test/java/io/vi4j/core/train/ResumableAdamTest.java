package io.vi4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.core.checkpoint.HostTensor;
import io.vi4j.core.checkpoint.TensorFile;
import io.vi4j.core.engine.Engines;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResumableAdamTest {
  private static final float LR = 0.05f;
  private static final float BETA1 = 0.8f;
  private static final float BETA2 = 0.99f;
  private static final float EPSILON = 1e-6f;
  private static final List<String> NAMES = List.of("encoder.weight", "encoder.bias");
  private static final List<Shape> SHAPES = List.of(new Shape(3, 4), new Shape(5));

  /** Two parameters of different shapes with fixed random starting values. */
  private static Map<String, NDArray> weights(NDManager manager) {
    Random random = new Random(11);
    Map<String, NDArray> weights = new LinkedHashMap<>();
    for (int p = 0; p < NAMES.size(); p++) {
      weights.put(NAMES.get(p), manager.create(values(random, SHAPES.get(p).size(), 1f), SHAPES.get(p)));
    }
    return weights;
  }

  private static Map<String, NDArray> copy(NDManager manager, Map<String, NDArray> weights) {
    Map<String, NDArray> copy = new LinkedHashMap<>();
    weights.forEach((name, w) -> copy.put(name, manager.create(w.toFloatArray(), w.getShape())));
    return copy;
  }

  private static float[] values(Random random, long n, float scale) {
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return v;
  }

  /** The gradients of step {@code step}: the same values whichever optimizer asks. */
  private static NDArray gradient(NDManager manager, int step, int parameter) {
    Random random = new Random(1000L * step + parameter);
    return manager.create(values(random, SHAPES.get(parameter).size(), 2f), SHAPES.get(parameter));
  }

  private static void step(ResumableAdam adam, NDManager manager, Map<String, NDArray> weights, int step) {
    adam.beginStep();
    for (int p = 0; p < NAMES.size(); p++) {
      adam.update(NAMES.get(p), weights.get(NAMES.get(p)), gradient(manager, step, p));
    }
  }

  private static void assertIdentical(Map<String, NDArray> actual, Map<String, NDArray> expected) {
    for (String name : NAMES) {
      assertThat(actual.get(name).toFloatArray()).as(name).containsExactly(expected.get(name).toFloatArray());
    }
  }

  /** DJL's Adam in double precision on the host: the bias correction folded into the step size. */
  private static void referenceStep(Map<String, double[]> w, Map<String, double[]> m, Map<String, double[]> v,
      NDManager manager, int step, float clip) {
    referenceStep(w, m, v, manager, step, clip, LR);
  }

  private static void referenceStep(Map<String, double[]> w, Map<String, double[]> m, Map<String, double[]> v,
      NDManager manager, int step, float clip, float lr) {
    double stepSize = lr * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step));
    for (int p = 0; p < NAMES.size(); p++) {
      String name = NAMES.get(p);
      float[] g = gradient(manager, step, p).toFloatArray();
      double[] wp = w.get(name);
      double[] mp = m.computeIfAbsent(name, k -> new double[wp.length]);
      double[] vp = v.computeIfAbsent(name, k -> new double[wp.length]);
      for (int i = 0; i < wp.length; i++) {
        double gi = clip > 0 ? Math.max(-clip, Math.min(clip, g[i])) : g[i];
        mp[i] = BETA1 * mp[i] + (1 - BETA1) * gi;
        vp[i] = BETA2 * vp[i] + (1 - BETA2) * gi * gi;
        wp[i] -= stepSize * mp[i] / (Math.sqrt(vp[i]) + EPSILON);
      }
    }
  }

  @Test
  void hostAndEngineUpdatesFollowAdamWithAndWithoutClippingAndClearTheGradient() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      for (boolean hostUpdates : new boolean[] {true, false}) {
        Map<String, float[]> unclipped = new LinkedHashMap<>();
        for (float clip : new float[] {0f, 0.3f}) {
          ResumableAdam ours = new ResumableAdam(LR, BETA1, BETA2, EPSILON, clip, manager, hostUpdates);
          Map<String, NDArray> weights = weights(manager);
          Map<String, double[]> w = inDoublePrecision(weights);
          Map<String, double[]> m = new LinkedHashMap<>();
          Map<String, double[]> v = new LinkedHashMap<>();
          for (int s = 1; s <= 5; s++) {
            ours.beginStep();
            for (int p = 0; p < NAMES.size(); p++) {
              NDArray g = gradient(manager, s, p);
              ours.update(NAMES.get(p), weights.get(NAMES.get(p)), g);
              if (hostUpdates) { // the engine's call clears the weight's own gradient, not this array
                assertThat(g.toFloatArray()).as("the gradient is cleared").containsOnly(0f);
              }
            }
            referenceStep(w, m, v, manager, s, clip);
            for (String name : NAMES) {
              float[] got = weights.get(name).toFloatArray();
              for (int i = 0; i < got.length; i++) {
                assertThat((double) got[i]).as("%s[%d] after step %d, host %s, clip %s", name, i, s, hostUpdates, clip)
                    .isCloseTo(w.get(name)[i], org.assertj.core.api.Assertions.within(2e-6));
              }
            }
          }
          assertThat(ours.step()).isEqualTo(5);
          assertThat(ours.firstMoments().keySet()).containsExactlyElementsOf(NAMES);
          assertThat(ours.secondMoments().get(NAMES.get(0)).getShape()).isEqualTo(SHAPES.get(0));
          // The weights moved, and clipping (both ways: the gradients are ±2 in scale) changed where they went.
          float[] start = weights(manager).get(NAMES.get(0)).toFloatArray();
          float[] end = weights.get(NAMES.get(0)).toFloatArray();
          assertThat(end).isNotEqualTo(start);
          if (clip > 0) {
            assertThat(end).isNotEqualTo(unclipped.get(NAMES.get(0)));
          } else {
            unclipped.put(NAMES.get(0), end);
          }
        }
      }
    }
  }

  /** A schedule's new rate, set between steps, is the one both update paths use from the next step on. */
  @Test
  void oneCallForAStepSplitOverTwoThreadsGivesTheSameWeightsBitForBit() {
    // Odd lengths (halves of unequal size), above the size at which the host passes are split.
    List<Shape> shapes = List.of(new Shape(401, 163), new Shape(7), new Shape(163, 401), new Shape(1));
    long total = shapes.stream().mapToLong(Shape::size).sum();
    assertThat(total).isGreaterThanOrEqualTo(HostAdam.MIN_SPLIT);
    List<String> names = List.of("a", "b", "c", "d");
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      for (float clip : new float[] {0f, 0.3f}) {
        ResumableAdam each = new ResumableAdam(LR, BETA1, BETA2, EPSILON, clip, manager);
        ResumableAdam all = new ResumableAdam(LR, BETA1, BETA2, EPSILON, clip, manager);
        Random start = new Random(5);
        List<NDArray> byEach = new java.util.ArrayList<>();
        List<NDArray> byAll = new java.util.ArrayList<>();
        for (Shape shape : shapes) {
          float[] w = values(start, shape.size(), 1f);
          byEach.add(manager.create(w, shape));
          byAll.add(manager.create(w.clone(), shape));
        }
        for (int s = 1; s <= 4; s++) {
          each.beginStep();
          all.beginStep();
          List<NDArray> gradients = new java.util.ArrayList<>();
          for (int p = 0; p < shapes.size(); p++) {
            float[] g = values(new Random(100L * s + p), shapes.get(p).size(), 2f);
            each.update(names.get(p), byEach.get(p), manager.create(g, shapes.get(p)));
            gradients.add(manager.create(g, shapes.get(p)));
          }
          all.updateAll(names, byAll, gradients);
          for (int p = 0; p < shapes.size(); p++) {
            assertThat(byAll.get(p).toFloatArray()).as("%s after step %d, clip %s", names.get(p), s, clip)
                .containsExactly(byEach.get(p).toFloatArray());
            assertThat(gradients.get(p).toFloatArray()).as("the gradient is cleared").containsOnly(0f);
          }
          assertThat(all.secondMoments().get("c").toFloatArray()).containsExactly(each.secondMoments().get("c").toFloatArray());
        }
        assertThat(byAll.get(0).toFloatArray()).isNotEqualTo(values(new Random(5), shapes.get(0).size(), 1f));
      }
    }
  }

  @Test
  void aRateSetBetweenStepsIsUsedByTheHostAndTheEnginePaths() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      float[] rates = {LR, LR, LR / 4, LR / 4, LR / 20};
      for (boolean hostUpdates : new boolean[] {true, false}) {
        ResumableAdam ours = new ResumableAdam(LR, BETA1, BETA2, EPSILON, 0f, manager, hostUpdates);
        Map<String, NDArray> weights = weights(manager);
        Map<String, double[]> w = inDoublePrecision(weights);
        Map<String, double[]> m = new LinkedHashMap<>();
        Map<String, double[]> v = new LinkedHashMap<>();
        for (int s = 1; s <= rates.length; s++) {
          ours.setLearningRate(rates[s - 1]);
          assertThat(ours.learningRate()).isEqualTo(rates[s - 1]);
          step(ours, manager, weights, s);
          referenceStep(w, m, v, manager, s, 0f, rates[s - 1]);
          for (String name : NAMES) {
            float[] got = weights.get(name).toFloatArray();
            for (int i = 0; i < got.length; i++) {
              assertThat((double) got[i]).as("%s[%d] after step %d at rate %s, host %s", name, i, s, rates[s - 1],
                  hostUpdates).isCloseTo(w.get(name)[i], org.assertj.core.api.Assertions.within(2e-6));
            }
          }
        }
      }
      ResumableAdam adam = new ResumableAdam(LR, BETA1, BETA2, EPSILON, 0f, manager);
      assertThatThrownBy(() -> adam.setLearningRate(0f)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be a positive number, got 0.0");
      assertThatThrownBy(() -> adam.setLearningRate(Float.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void onlyContiguousFloat32CpuArraysAreUpdatedOnTheHost() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      NDArray weight = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
      assertThat(HostAdam.view(weight)).isNotNull();
      assertThat(HostAdam.view(weight.transpose())).as("a transposed view is not contiguous").isNull();
      assertThat(HostAdam.view(weight.toType(ai.djl.ndarray.types.DataType.FLOAT64, false))).isNull();
      // The view is the array's own memory.
      HostAdam.view(weight).put(4, 50f);
      assertThat(weight.toFloatArray()).containsExactly(1, 2, 3, 4, 50, 6);
      // A transposed weight is still updated (by the engine's call), as its untransposed twin on the host.
      ResumableAdam adam = new ResumableAdam(LR, BETA1, BETA2, EPSILON, 0f, manager);
      NDArray base = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
      NDArray transposed = base.transpose();
      NDArray twin = manager.create(transposed.toFloatArray(), new Shape(2, 3));
      adam.beginStep();
      adam.update("t", transposed, manager.create(new float[] {1, -1, 2, -2, 3, -3}, new Shape(2, 3)));
      adam.update("twin", twin, manager.create(new float[] {1, -1, 2, -2, 3, -3}, new Shape(2, 3)));
      float[] got = transposed.toFloatArray();
      float[] expected = twin.toFloatArray();
      for (int i = 0; i < got.length; i++) {
        assertThat(got[i]).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-6f));
      }
      assertThat(got).isNotEqualTo(new float[] {1, 3, 5, 2, 4, 6});
    }
  }

  @Test
  void aRestoredOptimizerContinuesExactlyAsTheOriginal() throws Exception {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      ResumableAdam original = new ResumableAdam(LR, BETA1, BETA2, EPSILON, 0.5f, manager);
      Map<String, NDArray> originalWeights = weights(manager);
      for (int s = 1; s <= 3; s++) {
        step(original, manager, originalWeights, s);
      }
      ResumableAdam restored = new ResumableAdam(LR, BETA1, BETA2, EPSILON, 0.5f, manager);
      restored.restore(original.step(), original.firstMoments(), original.secondMoments());
      Map<String, NDArray> restoredWeights = copy(manager, originalWeights);
      assertThat(restored.step()).isEqualTo(3);
      assertThat(restored.firstMoments().get(NAMES.get(0))).isNotSameAs(original.firstMoments().get(NAMES.get(0)));

      // The way a checkpoint carries them: to the host, through a tensor file, and back onto a manager.
      ResumableAdam fromFile = new ResumableAdam(LR, BETA1, BETA2, EPSILON, 0.5f, manager);
      fromFile.restore(original.step(), throughFile(manager, original.firstMoments()),
          throughFile(manager, original.secondMoments()));
      Map<String, NDArray> fromFileWeights = copy(manager, originalWeights);

      for (int s = 4; s <= 5; s++) {
        step(original, manager, originalWeights, s);
        step(restored, manager, restoredWeights, s);
        step(fromFile, manager, fromFileWeights, s);
        assertIdentical(restoredWeights, originalWeights);
        assertIdentical(fromFileWeights, originalWeights);
      }
      assertIdentical(restored.firstMoments(), original.firstMoments());
      assertIdentical(restored.secondMoments(), original.secondMoments());
    }
  }

  private static Map<String, NDArray> throughFile(NDManager manager, Map<String, NDArray> arrays) throws Exception {
    Map<String, HostTensor> host = new LinkedHashMap<>();
    arrays.forEach((name, a) -> host.put(name, HostTensor.of(a)));
    Map<String, NDArray> back = new LinkedHashMap<>();
    TensorFile.decode(TensorFile.encode(host), "test").forEach((name, t) -> back.put(name, t.toNDArray(manager)));
    return back;
  }

  @Test
  void restoringFromItsOwnStateKeepsIt() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      ResumableAdam adam = new ResumableAdam(LR, BETA1, BETA2, EPSILON, 0f, manager);
      Map<String, NDArray> weights = weights(manager);
      step(adam, manager, weights, 1);
      step(adam, manager, weights, 2);
      float[] m = adam.firstMoments().get(NAMES.get(1)).toFloatArray();
      float[] v = adam.secondMoments().get(NAMES.get(1)).toFloatArray();
      adam.restore(adam.step(), adam.firstMoments(), adam.secondMoments());
      assertThat(adam.firstMoments().keySet()).containsExactlyElementsOf(NAMES);
      assertThat(adam.firstMoments().get(NAMES.get(1)).toFloatArray()).containsExactly(m);
      assertThat(adam.secondMoments().get(NAMES.get(1)).toFloatArray()).containsExactly(v);
    }
  }

  @Test
  void misuseIsRefused() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      ResumableAdam adam = new ResumableAdam(LR, BETA1, BETA2, EPSILON, 0f, manager);
      NDArray w = manager.zeros(new Shape(2));
      assertThatThrownBy(() -> adam.update("w", w, manager.ones(new Shape(2))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("beginStep");
      assertThat(w.toFloatArray()).containsExactly(0f, 0f);

      Map<String, NDArray> first = Map.of("a", manager.zeros(new Shape(2)));
      Map<String, NDArray> second = Map.of("b", manager.zeros(new Shape(2)));
      assertThatThrownBy(() -> adam.restore(1, first, second))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("name different parameters")
          .hasMessageContaining("[a]")
          .hasMessageContaining("[b]");
      assertThatThrownBy(() -> adam.restore(-1, Map.of(), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("-1");
      assertThatThrownBy(() -> adam.restore(1, first, Map.of("a", manager.zeros(new Shape(3)))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("parameter 'a'");

      // A moment restored for another shape than the parameter's is refused before the native call.
      adam.restore(1, first, Map.of("a", manager.zeros(new Shape(2))));
      adam.beginStep();
      assertThatThrownBy(() -> adam.update("a", manager.zeros(new Shape(3)), manager.ones(new Shape(3))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("parameter 'a'")
          .hasMessageContaining("(3)");
    }
  }

  /** @return each weight's values in double precision, by name, for the reference Adam */
  private static Map<String, double[]> inDoublePrecision(Map<String, NDArray> weights) {
    Map<String, double[]> w = new LinkedHashMap<>();
    weights.forEach((name, array) -> {
      float[] f = array.toFloatArray();
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      w.put(name, d);
    });
    return w;
  }
}
