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

class BarChartTest {

    @TempDir
    Path dir;

    private static long nonWhite(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long count(BufferedImage img, int rgb) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void writesPngOfStatedSizeWithBars() throws IOException {
        Path file = dir.resolve("sub/bars.png");
        BarChart.builder().title("Comparison").xLabel("method").yLabel("score").size(640, 360)
                .categories("a", "b", "c")
                .series("run 1", new double[] {1, 2, 3})
                .series("run 2", new double[] {2, Double.NaN, 1}, new double[] {0.2, 0.1, Double.NaN})
                .build().write(file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(360);
        assertThat(nonWhite(img)).isGreaterThan(5000);
        // bars are filled in the palette colours
        assertThat(count(img, 0x1f77b4)).isGreaterThan(1000);
        assertThat(count(img, 0xff7f0e)).isGreaterThan(500);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void logAxisAcceptsValuesOverEightDecadesWithErrorBars() throws IOException {
        Path file = dir.resolve("variance.png");
        BarChart chart = BarChart.builder().title("Gradient variance").yLabel("variance").logY(true)
                .categories("score function", "reparameterisation", "IWAE", "DReG")
                .series("K=1", new double[] {1e5, 20, 0.3, 1e-3}, new double[] {2e4, 5, 0.1, 5e-4})
                .series("K=10", new double[] {1e4, 2, 0.03, 2e-3}, null)
                .build();
        assertThat(chart.logY()).isTrue();
        assertThat(chart.categories()).hasSize(4);
        chart.write(file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img.getWidth()).isEqualTo(BarChart.DEFAULT_WIDTH);
        assertThat(img.getHeight()).isEqualTo(BarChart.DEFAULT_HEIGHT);
        assertThat(nonWhite(img)).isGreaterThan(5000);
        assertThat(count(img, 0x1f77b4)).isGreaterThan(500);
    }

    @Test
    void logAxisRejectsNonPositiveValuesWithAClearMessage() {
        assertThatThrownBy(() -> BarChart.builder().logY(true).categories("a", "b")
                .series("s", new double[] {1, 0}).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'s'").hasMessageContaining("'b'").hasMessageContaining("not positive")
                .hasMessageContaining("logarithmic");
        assertThatThrownBy(() -> BarChart.builder().logY(true).categories("a")
                .series("s", new double[] {-3}).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3.0");
        // an error bar reaching zero cannot be drawn on a log axis either
        assertThatThrownBy(() -> BarChart.builder().logY(true).categories("a")
                .series("s", new double[] {1}, new double[] {1}).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value − error");
        // the same data is fine on a linear axis
        assertThat(BarChart.builder().categories("a", "b").series("s", new double[] {1, -1}, new double[] {1, 1})
                .build().render().getWidth()).isEqualTo(BarChart.DEFAULT_WIDTH);
    }

    @Test
    void rejectsInconsistentInput() {
        assertThatThrownBy(() -> BarChart.builder().categories("a", "b").series("s", new double[] {1}).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 values")
                .hasMessageContaining("2 categories");
        assertThatThrownBy(() -> new BarChart.Series("s", new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("errors has length 1");
        assertThatThrownBy(() -> new BarChart.Series("s", new double[] {1}, new double[] {-1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-negative");
        assertThatThrownBy(() -> BarChart.Series.of("s", Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> BarChart.builder().categories("a", "a").series("s", new double[] {1, 2}).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate category");
        assertThatThrownBy(() -> BarChart.builder().categories("a").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("series");
        assertThatThrownBy(() -> BarChart.builder().size(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
