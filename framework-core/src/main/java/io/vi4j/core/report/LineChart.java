package io.vi4j.core.report;

import java.awt.BasicStroke;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A small line chart (for learning curves), drawn with <a href="https://knowm.org/open-source/xchart/">XChart</a>
 * into a PNG.
 *
 * <p>The chart draws one or more named {@link Series} with antialiasing on a white background, with a
 * title, axis labels, light grid lines at XChart's tick positions with tick labels, and a legend. Series
 * colours cycle through a fixed ten-colour palette (matplotlib's "tab10", first colour {@code #1f77b4}).
 * Points whose x or y is {@code NaN} or infinite are skipped: the line is broken there and resumes at the
 * next finite point. Isolated finite points (both neighbours skipped or missing), and all points of a
 * series with at most {@value #MARKER_LIMIT} points, are drawn as small dots. The axis ranges cover all
 * finite points; with no finite point at all XChart draws empty axes.
 *
 * <p>The legend lists every series with a non-empty name. It goes into the corner of the plot area that
 * no point or line passes through, estimated from the data; when every corner is crowded it is drawn to
 * the right of the plot instead, so it never hides data.
 *
 * <p>With {@link Builder#logY(boolean) logY(true)} the y axis is logarithmic; every finite y value must
 * then be positive ({@link Builder#build()} rejects the chart otherwise).
 *
 * <pre>{@code
 * LineChart.builder()
 *         .title("Training ELBO").xLabel("epoch").yLabel("nats")
 *         .series("train", epochs, trainElbo)
 *         .series("test", epochs, testElbo)
 *         .build()
 *         .write(dir.resolve("elbo.png"));
 * }</pre>
 *
 * Instances are immutable (series arrays are copied) and may be rendered from any thread. Nothing
 * global is changed and no window is opened (rendering draws into a {@link BufferedImage}, which works on
 * headless machines without setting {@code java.awt.headless}); text needs a font the JDK can load.
 */
public final class LineChart extends AxesChart {

    /** Default picture width in pixels. */
    public static final int DEFAULT_WIDTH = 800;

    /** Default picture height in pixels. */
    public static final int DEFAULT_HEIGHT = 500;

    /** Series with at most this many points get a dot at every point. */
    public static final int MARKER_LIMIT = 40;

    /** Share of the plot area that XChart fills with data (it leaves 4% on each side). */
    private static final double CONTENT = 0.92;

    /**
     * One named line: points {@code (x[i], y[i])} drawn in order.
     *
     * @param name the legend label (empty for no legend entry)
     * @param x the x coordinates
     * @param y the y coordinates, same length as {@code x}
     */
    public record Series(String name, double[] x, double[] y) {
        /**
         * Validates and copies the arrays.
         *
         * @param name the legend label (empty for no legend entry)
         * @param x the x coordinates
         * @param y the y coordinates, same length as {@code x}
         * @throws IllegalArgumentException if the arrays differ in length
         */
        public Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(y, "y");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': x has length " + x.length
                        + " but y has length " + y.length);
            }
            x = x.clone();
            y = y.clone();
        }

        /**
         * Makes a series whose x coordinates are {@code 0, 1, 2, …}.
         *
         * @param name the legend label
         * @param y the y coordinates
         * @return the series
         */
        public static Series ofY(String name, double[] y) {
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
            return new Series(name, x, y);
        }

        /**
         * Returns a copy of the x coordinates.
         *
         * @return the x coordinates
         */
        @Override
        public double[] x() {
            return x.clone();
        }

        /**
         * Returns a copy of the y coordinates.
         *
         * @return the y coordinates
         */
        @Override
        public double[] y() {
            return y.clone();
        }

        /** Whether point {@code i} is drawn: both coordinates finite. */
        private boolean drawn(int i) {
            return Double.isFinite(x[i]) && Double.isFinite(y[i]);
        }

        /** Whether point {@code i} is drawn but neither neighbour is, so no line segment touches it. */
        private boolean isolated(int i) {
            return drawn(i) && (i == 0 || !drawn(i - 1)) && (i == x.length - 1 || !drawn(i + 1));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Series s && name.equals(s.name) && Arrays.equals(x, s.x) && Arrays.equals(y, s.y);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * name.hashCode() + Arrays.hashCode(x)) + Arrays.hashCode(y);
        }

        @Override
        public String toString() {
            return "Series[" + name + ", " + x.length + " points]";
        }
    }

    private final List<Series> series;

    private LineChart(Builder b) {
        super(b);
        this.series = List.copyOf(b.series);
        if (logY) {
            for (Series s : series) {
                for (int i = 0; i < s.y.length; i++) {
                    if (s.drawn(i) && s.y[i] <= 0) {
                        throw new IllegalArgumentException("series '" + s.name + "' has y = " + s.y[i]
                                + " at index " + i + ", but a logarithmic y axis needs positive values"
                                + " (NaN and infinite points are skipped; use a linear axis or drop the point)");
                    }
                }
            }
        }
    }

    /**
     * Returns a builder for an {@value #DEFAULT_WIDTH}×{@value #DEFAULT_HEIGHT} chart with a linear y
     * axis and no title, labels or series.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes a default-size chart (linear axes) of {@code series} to {@code file}.
     *
     * @param file the PNG file to create or replace
     * @param title the title, or {@code null} or empty for none
     * @param xLabel the x-axis label, or {@code null} or empty for none
     * @param yLabel the y-axis label, or {@code null} or empty for none
     * @param series the lines to draw
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, String title, String xLabel, String yLabel, List<Series> series)
            throws IOException {
        Builder b = builder().title(title).xLabel(xLabel).yLabel(yLabel);
        series.forEach(b::series);
        b.build().write(file);
    }

    /**
     * Returns the series in drawing (and legend) order.
     *
     * @return an unmodifiable list
     */
    public List<Series> series() {
        return series;
    }

    @Override
    public BufferedImage render() {
        return BitmapEncoder.getBufferedImage(toXChart());
    }

    /**
     * Builds the XChart chart: one XChart series per {@link Series} (with {@code NaN} in place of
     * non-finite coordinates, which XChart draws as a gap), plus one legend-less scatter series per
     * series that has isolated points but no markers.
     */
    private XYChart toXChart() {
        XYChart chart = styled(new XYChart(width, height));
        XYStyler st = chart.getStyler();
        st.setMarkerSize(6);
        st.setLegendSeriesLineLength(24);

        boolean anyLegend = false;
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            if (s.x.length == 0) {
                continue; // XChart rejects empty series; there is nothing to draw
            }
            double[] xs = new double[s.x.length];
            double[] ys = new double[s.y.length];
            boolean anyIsolated = false;
            for (int i = 0; i < xs.length; i++) {
                boolean drawn = s.drawn(i);
                xs[i] = drawn ? s.x[i] : Double.NaN;
                ys[i] = drawn ? s.y[i] : Double.NaN;
                anyIsolated |= s.isolated(i);
            }
            // Internal names are unique (XChart requires it); the label is what the legend shows.
            XYSeries xs0 = chart.addSeries("s" + k, xs, ys);
            xs0.setLabel(s.name.isEmpty() ? " " : s.name);
            xs0.setShowInLegend(!s.name.isEmpty());
            anyLegend |= !s.name.isEmpty();
            xs0.setLineColor(ChartStyle.color(k));
            xs0.setMarkerColor(ChartStyle.color(k));
            xs0.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            boolean markers = s.x.length <= MARKER_LIMIT;
            xs0.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            if (!markers && anyIsolated) {
                double[] ix = new double[xs.length];
                double[] iy = new double[xs.length];
                for (int i = 0; i < xs.length; i++) {
                    ix[i] = s.isolated(i) ? xs[i] : Double.NaN;
                    iy[i] = s.isolated(i) ? ys[i] : Double.NaN;
                }
                XYSeries dots = chart.addSeries("s" + k + "-isolated", ix, iy);
                dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                dots.setMarker(SeriesMarkers.CIRCLE);
                dots.setMarkerColor(ChartStyle.color(k));
                dots.setShowInLegend(false);
            }
        }
        st.setLegendVisible(anyLegend);
        if (anyLegend) {
            st.setLegendPosition(legendPosition());
        }
        return chart;
    }

    /**
     * Picks the plot-area corner whose legend box no drawn point or segment passes through, preferring
     * top right, top left, bottom right, bottom left; {@link LegendPosition#OutsideE} if all are crowded.
     * Works on an estimate of the plot area and of the legend size in plot-area fractions.
     */
    private LegendPosition legendPosition() {
        FontMetrics fm = ChartStyle.fontMetrics(ChartStyle.LEGEND_FONT);
        int rows = 0;
        int textW = 0;
        for (Series s : series) {
            if (!s.name.isEmpty() && s.x.length > 0) {
                rows++;
                textW = Math.max(textW, fm.stringWidth(s.name));
            }
        }
        // Estimated plot area: the picture less axis labels, tick labels, title and padding.
        double plotW = plotWidth();
        double plotH = Math.max(1, height - (ChartStyle.hasText(title) ? 110 : 80));
        double boxW = (6 + 24 + 6 + textW + 6 + 16) / plotW; // padding, line, gap, text, padding, margin
        double boxH = (6 + rows * (fm.getHeight() + 6) + 16) / plotH;
        if (boxW >= 0.5 || boxH >= 0.6) {
            return LegendPosition.OutsideE;
        }
        double[] xr = range(true);
        double[] yr = range(false);
        LegendPosition[] order = {
            LegendPosition.InsideNE, LegendPosition.InsideNW, LegendPosition.InsideSE, LegendPosition.InsideSW,
        };
        for (LegendPosition p : order) {
            boolean right = p == LegendPosition.InsideNE || p == LegendPosition.InsideSE;
            boolean top = p == LegendPosition.InsideNE || p == LegendPosition.InsideNW;
            double bx0 = right ? 1 - boxW : 0;
            double by0 = top ? 1 - boxH : 0;
            if (!crosses(xr, yr, bx0, bx0 + boxW, by0, by0 + boxH)) {
                return p;
            }
        }
        return LegendPosition.OutsideE;
    }

    /** Whether any drawn point, or a sample along any drawn segment, falls into the box (plot fractions). */
    private boolean crosses(double[] xr, double[] yr, double bx0, double bx1, double by0, double by1) {
        for (Series s : series) {
            double prevX = Double.NaN;
            double prevY = Double.NaN;
            for (int i = 0; i < s.x.length; i++) {
                if (!s.drawn(i)) {
                    prevX = Double.NaN;
                    continue;
                }
                double px = fraction(s.x[i], xr, false);
                double py = fraction(s.y[i], yr, logY);
                int samples = Double.isNaN(prevX) ? 1 : 16;
                for (int k = 1; k <= samples; k++) {
                    double t = (double) k / samples;
                    double sx = samples == 1 ? px : prevX + t * (px - prevX);
                    double sy = samples == 1 ? py : prevY + t * (py - prevY);
                    if (sx >= bx0 && sx <= bx1 && sy >= by0 && sy <= by1) {
                        return true;
                    }
                }
                prevX = px;
                prevY = py;
            }
        }
        return false;
    }

    /** Position of {@code v} as a fraction of the plot area (0 = left/bottom edge, 1 = right/top edge). */
    private static double fraction(double v, double[] range, boolean log) {
        double lo = log ? Math.log10(range[0]) : range[0];
        double hi = log ? Math.log10(range[1]) : range[1];
        double u = log ? Math.log10(v) : v;
        double inContent = hi > lo ? (u - lo) / (hi - lo) : 0.5;
        return (1 - CONTENT) / 2 + CONTENT * inContent;
    }

    /** Returns {min, max} over drawn points of all series on one axis; [0, 1] if there are none. */
    private double[] range(boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (s.drawn(i)) {
                    double v = xAxis ? s.x[i] : s.y[i];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo > hi ? new double[] {1, 1} : new double[] {lo, hi};
    }

    /** Options and series of a {@link LineChart}. Not thread-safe; the built chart is immutable. */
    public static final class Builder extends AxesChart.Builder<Builder> {
        private final List<Series> series = new ArrayList<>();

        private Builder() {
            super(DEFAULT_WIDTH, DEFAULT_HEIGHT);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Adds a series.
         *
         * @param series the series
         * @return this builder
         */
        public Builder series(Series series) {
            this.series.add(Objects.requireNonNull(series, "series"));
            return this;
        }

        /**
         * Adds a series from coordinate arrays (copied).
         *
         * @param name the legend label (empty for no legend entry)
         * @param x the x coordinates
         * @param y the y coordinates, same length as {@code x}
         * @return this builder
         * @throws IllegalArgumentException if the arrays differ in length
         */
        public Builder series(String name, double[] x, double[] y) {
            return series(new Series(name, x, y));
        }

        /**
         * Builds the chart.
         *
         * @return the immutable chart
         * @throws IllegalArgumentException if the y axis is logarithmic and a finite y value is not positive
         */
        public LineChart build() {
            return new LineChart(this);
        }
    }

    @Override
    String contents() {
        return ", series=" + Arrays.toString(series.stream().map(Series::name).toArray());
    }
}
