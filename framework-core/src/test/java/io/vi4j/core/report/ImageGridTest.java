package io.vi4j.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

    @TempDir
    Path dir;

    private static BufferedImage read(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).as("PNG readable: %s", file).isNotNull();
        return img;
    }

    private static int gray(BufferedImage img, int x, int y) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        assertThat(r).as("gray pixel at (%d,%d) has equal channels", x, y).isEqualTo(g).isEqualTo(b);
        return r;
    }

    @Test
    void gridDimensionsFollowLayoutFormula() throws IOException {
        int count = 7, h = 3, w = 4, columns = 3, pad = 2, scale = 2;
        Path file = dir.resolve("grid.png");
        ImageGrid.builder().columns(columns).padding(pad).scale(scale).build()
                .save(file, new float[count * h * w], count, h, w);
        BufferedImage img = read(file);
        int rows = 3; // ceil(7 / 3)
        assertThat(img.getWidth()).isEqualTo(columns * scale * w + (columns + 1) * pad);
        assertThat(img.getHeight()).isEqualTo(rows * scale * h + (rows + 1) * pad);
    }

    @Test
    void fewerItemsThanColumnsShrinksTheGrid() throws IOException {
        Path file = dir.resolve("two.png");
        ImageGrid.write(file, new float[2 * 5 * 5], 2, 5, 5, 8);
        BufferedImage img = read(file);
        int pad = ImageGrid.DEFAULT_PADDING;
        assertThat(img.getWidth()).isEqualTo(2 * 5 + 3 * pad);
        assertThat(img.getHeight()).isEqualTo(5 + 2 * pad);
    }

    @Test
    void tilePixelsHaveExpectedGrayLevels() throws IOException {
        int count = 3, h = 2, w = 3;
        float[] v = new float[count * h * w];
        // item 0: all 1.0; item 1: all 0.0; item 2: gradient and out-of-range values
        for (int i = 0; i < h * w; i++) {
            v[i] = 1f;
        }
        float[] item2 = {0.5f, 2f, -3f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.25f};
        System.arraycopy(item2, 0, v, 2 * h * w, h * w);
        int pad = 1, scale = 2, columns = 2;
        Path file = dir.resolve("levels.png");
        ImageGrid.builder().columns(columns).padding(pad).scale(scale).padColor(0x336699).build()
                .save(file, v, count, h, w);
        BufferedImage img = read(file);

        // item 0 at tile (0,0), item 1 at tile (0,1), item 2 at tile (1,0)
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                assertThat(gray(img, pad + x, pad + y)).isEqualTo(255);
                assertThat(gray(img, pad + (w * scale + pad) + x, pad + y)).isEqualTo(0);
            }
        }
        int x2 = pad;
        int y2 = pad + (h * scale + pad);
        int[] expected = {128, 255, 0, 255, 0, 64};
        for (int py = 0; py < h; py++) {
            for (int px = 0; px < w; px++) {
                for (int k = 0; k < scale * scale; k++) {
                    int x = x2 + px * scale + k % scale;
                    int y = y2 + py * scale + k / scale;
                    assertThat(gray(img, x, y)).as("item 2 pixel (%d,%d)", py, px).isEqualTo(expected[py * w + px]);
                }
            }
        }
        // padding (border, gap) and the unused tile carry the padding colour
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x336699);
        assertThat(img.getRGB(pad + w * scale, pad) & 0xFFFFFF).isEqualTo(0x336699);
        assertThat(img.getRGB(pad + (w * scale + pad) + 1, y2 + 1) & 0xFFFFFF).isEqualTo(0x336699);
    }

    @Test
    void nanIsDrawnInNanColour() {
        float[] v = {0f, Float.NaN, 1f, 0.5f};
        BufferedImage img = ImageGrid.builder().padding(0).build().render(v, 1, 2, 2);
        assertThat(img.getRGB(1, 0) & 0xFFFFFF).isEqualTo(ImageGrid.NAN_RGB);
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x000000);
        assertThat(img.getRGB(0, 1) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void pairsPutReconstructionDirectlyBelowOriginal() throws IOException {
        int count = 5, h = 2, w = 2, columns = 3, pad = 2;
        float[] orig = new float[count * h * w];
        float[] recon = new float[count * h * w];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < h * w; j++) {
                orig[i * h * w + j] = i / 10f;        // 0, 26, 51, 77, 102
                recon[i * h * w + j] = 0.5f + i / 10f; // 128, 153, 179, 204, 230
            }
        }
        Path file = dir.resolve("pairs.png");
        ImageGrid.writePairs(file, orig, recon, count, h, w, columns);
        BufferedImage img = read(file);
        pad = ImageGrid.DEFAULT_PADDING;
        int pairRows = 2; // ceil(5 / 3)
        assertThat(img.getWidth()).isEqualTo(columns * w + (columns + 1) * pad);
        assertThat(img.getHeight()).isEqualTo(2 * pairRows * h + (2 * pairRows + 1) * pad);
        for (int i = 0; i < count; i++) {
            int col = i % columns;
            int x = pad + col * (w + pad);
            int yOrig = pad + (2 * (i / columns)) * (h + pad);
            int yRecon = yOrig + h + pad;
            assertThat(gray(img, x, yOrig)).as("original %d", i).isEqualTo(Math.round(i / 10f * 255f));
            assertThat(gray(img, x + 1, yOrig + 1)).as("original %d", i).isEqualTo(Math.round(i / 10f * 255f));
            assertThat(gray(img, x, yRecon)).as("reconstruction %d", i)
                    .isEqualTo(Math.round((0.5f + i / 10f) * 255f));
            assertThat(gray(img, x + 1, yRecon + 1)).as("reconstruction %d", i)
                    .isEqualTo(Math.round((0.5f + i / 10f) * 255f));
        }
    }

    @Test
    void wrongLengthNamesExpectedAndActual() {
        assertThatThrownBy(() -> ImageGrid.write(dir.resolve("bad.png"), new float[10], 2, 2, 3, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12")
                .hasMessageContaining("10")
                .hasMessageContaining("values");
        assertThatThrownBy(() -> ImageGrid.writePairs(dir.resolve("bad.png"), new float[12], new float[11], 2, 2,
                3, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reconstructions")
                .hasMessageContaining("expected 12")
                .hasMessageContaining("11");
        assertThat(dir.resolve("bad.png")).doesNotExist();
    }

    @Test
    void nonPositiveDimensionsAreRejected() {
        assertThatThrownBy(() -> ImageGrid.write(dir.resolve("x.png"), new float[0], 0, 2, 2, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count=0");
        assertThatThrownBy(() -> ImageGrid.write(dir.resolve("x.png"), new float[4], 1, -2, -2, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("height=-2");
        assertThatThrownBy(() -> ImageGrid.write(dir.resolve("x.png"), new float[4], 1, 2, 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("columns");
        assertThatThrownBy(() -> ImageGrid.builder().scale(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageGrid.builder().padding(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overwritesAtomicallyAndLeavesNoTempFiles() throws IOException {
        Path file = dir.resolve("sub/dir/grid.png");
        ImageGrid.write(file, new float[4], 1, 2, 2, 1);
        float[] ones = {1f, 1f, 1f, 1f};
        ImageGrid.write(file, ones, 1, 2, 2, 1);
        BufferedImage img = read(file);
        assertThat(gray(img, ImageGrid.DEFAULT_PADDING, ImageGrid.DEFAULT_PADDING)).isEqualTo(255);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }
}
