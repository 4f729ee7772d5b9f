package io.vi4j.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {

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

    @Test
    void writesPngOfStatedSizeWithContent() throws IOException {
        double[] x = new double[50];
        double[] a = new double[50];
        double[] b = new double[50];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            a[i] = -200 + 100 * (1 - Math.exp(-i / 10.0));
            b[i] = i == 20 ? Double.NaN : -210 + 95 * (1 - Math.exp(-i / 12.0));
        }
        Path file = dir.resolve("chart.png");
        LineChart.builder().title("ELBO").xLabel("epoch").yLabel("nats").size(800, 500)
                .series("train", x, a).series("test", x, b).build().write(file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(500);
        assertThat(nonWhite(img)).isGreaterThan(2000);
        // the first series' colour (palette entry 0) appears somewhere, approximately
        boolean blue = false;
        for (int y = 0; y < img.getHeight() && !blue; y++) {
            for (int xx = 0; xx < img.getWidth() && !blue; xx++) {
                blue = (img.getRGB(xx, y) & 0xFFFFFF) == 0x1f77b4;
            }
        }
        assertThat(blue).as("series colour drawn").isTrue();
    }

    @Test
    void handlesDegenerateInput() throws IOException {
        Path file = dir.resolve("odd.png");
        LineChart.write(file, "odd", null, "", List.of(
                new LineChart.Series("nan", new double[] {0, 1, 2}, new double[] {Double.NaN, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY}),
                LineChart.Series.ofY("const", new double[] {3, 3, 3}),
                new LineChart.Series("empty", new double[0], new double[0])));
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img.getWidth()).isEqualTo(LineChart.DEFAULT_WIDTH);
        assertThat(img.getHeight()).isEqualTo(LineChart.DEFAULT_HEIGHT);
        assertThat(nonWhite(img)).isPositive();

        BufferedImage empty = LineChart.builder().size(200, 100).build().render();
        assertThat(empty.getWidth()).isEqualTo(200);
        assertThat(empty.getHeight()).isEqualTo(100);
    }

    @Test
    void logAxisAcceptsPositiveValuesAndSkipsNaN() throws IOException {
        double[] y = {1e-3, 1e-1, Double.NaN, 10, 1e3, 1e5};
        Path file = dir.resolve("log.png");
        LineChart chart = LineChart.builder().title("loss").logY(true).size(640, 400)
                .series(LineChart.Series.ofY("loss", y)).build();
        assertThat(chart.logY()).isTrue();
        chart.write(file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(400);
        assertThat(nonWhite(img)).isGreaterThan(1000);
    }

    @Test
    void logAxisRejectsNonPositiveValuesClearly() {
        assertThatThrownBy(() -> LineChart.builder().logY(true)
                .series(LineChart.Series.ofY("kl", new double[] {1, 0.5, 0, 2})).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kl'").hasMessageContaining("index 2").hasMessageContaining("logarithmic");
        // the same data is fine on a linear axis
        assertThat(LineChart.builder().series(LineChart.Series.ofY("kl", new double[] {1, 0.5, 0, 2})).build()
                .render().getWidth()).isEqualTo(LineChart.DEFAULT_WIDTH);
    }

    @Test
    void duplicateAndEmptyNamesAreAllowed() {
        BufferedImage img = LineChart.builder().size(300, 200)
                .series("a", new double[] {0, 1}, new double[] {0, 1})
                .series("a", new double[] {0, 1}, new double[] {1, 0})
                .series("", new double[] {0, 1}, new double[] {0.5, 0.5})
                .build().render();
        assertThat(img.getWidth()).isEqualTo(300);
        assertThat(nonWhite(img)).isPositive();
    }

    @Test
    void rejectsMismatchedSeries() {
        assertThatThrownBy(() -> new LineChart.Series("s", new double[3], new double[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3").hasMessageContaining("2");
        assertThatThrownBy(() -> LineChart.builder().size(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
