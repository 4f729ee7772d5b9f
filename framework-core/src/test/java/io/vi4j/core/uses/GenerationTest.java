package io.vi4j.core.uses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GenerationTest {

  @Test
  void interpolationsRunFromOneEndToTheOther() {
    float[] a = {0f, 0f, 1f, 1f};
    float[] b = {2f, 4f, 1f, -1f};
    float[] path = Generation.interpolationLatents(a, b, 2, 2, 5);
    assertThat(path).hasSize(2 * 5 * 2);
    assertThat(Arrays.copyOfRange(path, 0, 2)).containsExactly(0f, 0f);
    assertThat(Arrays.copyOfRange(path, 8, 10)).containsExactly(2f, 4f);
    assertThat(Arrays.copyOfRange(path, 4, 6)).containsExactly(1f, 2f); // midpoint
    assertThat(Arrays.copyOfRange(path, 18, 20)).containsExactly(1f, -1f);
  }

  @Test
  void traversalsChangeOneCoordinateAtATime() {
    float[] base = {0.5f, -0.5f, 2f};
    double[] values = {-1, 1};
    float[] rows = Generation.traversalLatents(base, 2, values);
    assertThat(rows).containsExactly(-1f, -0.5f, 2f, 1f, -0.5f, 2f, 0.5f, -1f, 2f, 0.5f, 1f, 2f);
  }

  @Test
  void theManifoldGridCoversThePriorByEqualMass() {
    float[] grid = Generation.manifoldLatents(4);
    // first row: x rises left to right, y is the largest value; symmetric about 0
    assertThat(grid[0]).isLessThan(grid[2]);
    assertThat((double) grid[0]).isCloseTo(-grid[6], within(1e-6));
    assertThat((double) grid[1]).isCloseTo(-grid[31], within(1e-6));
    assertThat((double) grid[1]).isCloseTo(1.1503, within(1e-3)); // Φ⁻¹(7/8)
  }

  @Test
  void projectionKeepsTheTwoDirectionsOfLargestSpread() {
    // points spread along (1,1,0) widely and along (0,0,1) a little
    int n = 200;
    float[] points = new float[n * 3];
    for (int i = 0; i < n; i++) {
      float s = (i - n / 2f) / 10f;
      float e = (i % 2 == 0 ? 0.1f : -0.1f);
      points[i * 3] = s;
      points[i * 3 + 1] = s;
      points[i * 3 + 2] = e;
    }
    double[][] xy = Generation.project2d(points, n, 3);
    double vx = Arrays.stream(xy[0]).map(v -> v * v).sum();
    double vy = Arrays.stream(xy[1]).map(v -> v * v).sum();
    assertThat(vx).isGreaterThan(100 * vy);
    assertThat(vy).isPositive();
  }
}
