package io.vi4j.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Words around a grid: the grid is kept pixel for pixel, and the words take room where they belong. */
class CaptionsTest {
  private static final ImageGrid GRID = ImageGrid.builder().columns(3).scale(2).build();

  private static BufferedImage tiles() {
    float[] values = new float[6 * 28 * 28];
    java.util.Arrays.fill(values, 1f);
    return GRID.render(values, 6, 28, 28);
  }

  @Test
  void rowLabelsGoLeftAndTheTitleAndColumnCaptionsAbove() {
    BufferedImage grid = tiles();
    BufferedImage bare = Captions.of("").render(GRID, grid, 28, 28);
    assertThat(bare.getWidth()).isEqualTo(grid.getWidth());
    assertThat(bare.getHeight()).isEqualTo(grid.getHeight());
    BufferedImage captioned = Captions.of("Imputation").rows(List.of("masked", "original"))
        .columns(List.of("a", "b", "c")).render(GRID, grid, 28, 28);
    int left = captioned.getWidth() - grid.getWidth();
    int top = captioned.getHeight() - grid.getHeight();
    assertThat(left).isGreaterThan(20);
    assertThat(top).isGreaterThan(20);
    // the grid sits unchanged in the bottom-right corner
    for (int y = 0; y < grid.getHeight(); y++) {
      for (int x = 0; x < grid.getWidth(); x++) {
        assertThat(captioned.getRGB(left + x, top + y)).isEqualTo(grid.getRGB(x, y));
      }
    }
    // text was drawn in the label column beside the first row of tiles
    assertThat(inked(captioned, 0, top, left, top + 58)).isTrue();
    assertThat(inked(captioned, 0, 0, captioned.getWidth(), top / 2)).isTrue(); // the title
  }

  private static boolean inked(BufferedImage image, int x0, int y0, int x1, int y1) {
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
          return true;
        }
      }
    }
    return false;
  }
}
