package io.vi4j.core.report;

import java.awt.BasicStroke;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * A grouped bar chart, drawn with <a href="https://knowm.org/open-source/xchart/">XChart</a> into a PNG:
 * one group of bars per category (a string label on the x axis), one bar per {@link Series} in each group,
 * optionally with symmetric error bars ({@code value ± error}) and a logarithmic y axis. Meant for
 * comparisons such as "gradient variance per estimator", whose values span orders of magnitude.
 *
 * <h2>Values</h2>
 *
 * Every series has one value per category, in category order. A {@code NaN} value means "no value": its
 * bar (and error bar) is left out. Infinite values are rejected. Errors are optional per series
 * ({@code null} for none); an error must be finite and non-negative, or {@code NaN} for no error bar on
 * that value.
 *
 * <h2>Logarithmic y axis</h2>
 *
 * With {@link Builder#logY(boolean) logY(true)} every value must be positive, and so must
 * {@code value − error}: a log axis cannot show a bar or whisker reaching zero or below, and
 * {@link Builder#build()} rejects such data with a message naming the series, the category and the value.
 * Bars then grow from the bottom of the axis, so compare their tops, not their lengths.
 *
 * <h2>Look</h2>
 *
 * Colours follow the same palette as {@link LineChart}; error bars are drawn in dark gray. The legend
 * (shown when there is more than one series) goes below the plot, in one row, so it never hides bars.
 * Category labels are rotated by 45° when they would not fit side by side.
 *
 * <pre>{@code
 * BarChart.builder()
 *         .title("Gradient variance").yLabel("variance").logY(true)
 *         .categories("score function", "reparam.", "control variate")
 *         .series("K=1", new double[] {3.1e4, 2.0, 0.4}, new double[] {900, 0.1, 0.02})
 *         .series("K=10", new double[] {3.0e3, 0.21, 0.05}, null)
 *         .build()
 *         .write(dir.resolve("grad-variance.png"));
 * }</pre>
 *
 * Instances are immutable (arrays are copied) and may be rendered from any thread. Nothing global is
 * changed and no window is opened (rendering draws into a {@link BufferedImage}, which works on headless
 * machines without setting {@code java.awt.headless}); text needs a font the JDK can load.
 */
public final class BarChart extends AxesChart {

    /** Default picture width in pixels. */
    public static final int DEFAULT_WIDTH = 800;

    /** Default picture height in pixels. */
    public static final int DEFAULT_HEIGHT = 500;

    /** Share of a category's slot filled by its bars when there are several series. */
    private static final double FILL = 0.8;

    /** Share of a category's slot filled by the bar when there is one series. */
    private static final double FILL_SINGLE = 0.6;

    /**
     * One named set of bars: {@code values[i]} is the bar of category {@code i}, drawn with whisker
     * {@code ± errors[i]} when errors are given.
     *
     * @param name the legend label, not empty
     * @param values one value per category; {@code NaN} for no bar
     * @param errors one non-negative error per category ({@code NaN} for none), or {@code null} for no
     *     error bars at all
     */
    public record Series(String name, double[] values, double[] errors) {
        /**
         * Validates and copies the arrays.
         *
         * @param name the legend label, not empty
         * @param values one value per category; {@code NaN} for no bar
         * @param errors one non-negative error per value ({@code NaN} for none), or {@code null}
         * @throws IllegalArgumentException if the name is empty, a value is infinite, an error is
         *     negative or infinite, or the arrays differ in length
         */
        public Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(values, "values");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("bar series name must not be empty");
            }
            for (int i = 0; i < values.length; i++) {
                if (Double.isInfinite(values[i])) {
                    throw new IllegalArgumentException("series '" + name + "': value " + i + " is " + values[i]
                            + " (use NaN for a missing bar)");
                }
            }
            if (errors != null) {
                if (errors.length != values.length) {
                    throw new IllegalArgumentException("series '" + name + "': values has length " + values.length
                            + " but errors has length " + errors.length);
                }
                for (int i = 0; i < errors.length; i++) {
                    if (errors[i] < 0 || Double.isInfinite(errors[i])) {
                        throw new IllegalArgumentException("series '" + name + "': error " + i + " is " + errors[i]
                                + "; errors must be finite and non-negative (NaN for none)");
                    }
                }
                errors = errors.clone();
            }
            values = values.clone();
        }

        /**
         * Makes a series without error bars.
         *
         * @param name the legend label, not empty
         * @param values one value per category; {@code NaN} for no bar
         * @return the series
         */
        public static Series of(String name, double... values) {
            return new Series(name, values, null);
        }

        /**
         * Returns a copy of the values.
         *
         * @return the values
         */
        @Override
        public double[] values() {
            return values.clone();
        }

        /**
         * Returns a copy of the errors, or {@code null} if the series has none.
         *
         * @return the errors or {@code null}
         */
        @Override
        public double[] errors() {
            return errors == null ? null : errors.clone();
        }

        /** The error of value {@code i}, 0 where there is none. */
        private double error(int i) {
            return errors == null || Double.isNaN(errors[i]) ? 0 : errors[i];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Series s && name.equals(s.name) && Arrays.equals(values, s.values)
                    && Arrays.equals(errors, s.errors);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * name.hashCode() + Arrays.hashCode(values)) + Arrays.hashCode(errors);
        }

        @Override
        public String toString() {
            return "Series[" + name + ", " + values.length + " values" + (errors == null ? "" : ", with errors") + "]";
        }
    }

    private final List<String> categories;
    private final List<Series> series;

    private BarChart(Builder b) {
        super(b);
        this.categories = List.copyOf(b.categories);
        this.series = List.copyOf(b.series);
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("a bar chart needs at least one category");
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("a bar chart needs at least one series");
        }
        Set<String> seen = new HashSet<>();
        for (String c : categories) {
            if (!seen.add(c)) {
                throw new IllegalArgumentException("duplicate category '" + c + "'");
            }
        }
        seen.clear();
        for (Series s : series) {
            if (!seen.add(s.name)) {
                throw new IllegalArgumentException("duplicate series name '" + s.name + "'");
            }
            if (s.values.length != categories.size()) {
                throw new IllegalArgumentException("series '" + s.name + "' has " + s.values.length
                        + " values but there are " + categories.size() + " categories");
            }
            if (logY) {
                checkLog(s);
            }
        }
    }

    private void checkLog(Series s) {
        for (int i = 0; i < s.values.length; i++) {
            double v = s.values[i];
            if (Double.isNaN(v)) {
                continue;
            }
            if (v <= 0) {
                throw new IllegalArgumentException("series '" + s.name + "', category '" + categories.get(i)
                        + "': value " + v + " is not positive, but a logarithmic y axis needs positive values"
                        + " (use NaN for a missing bar, or a linear axis)");
            }
            double e = s.error(i);
            if (v - e <= 0) {
                throw new IllegalArgumentException("series '" + s.name + "', category '" + categories.get(i)
                        + "': error bar " + v + " ± " + e + " reaches " + (v - e)
                        + ", but a logarithmic y axis needs value − error > 0 (use a linear axis or a smaller error)");
            }
        }
    }

    /**
     * Returns a builder for an {@value #DEFAULT_WIDTH}×{@value #DEFAULT_HEIGHT} chart with a linear y
     * axis and no title, labels, categories or series.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public BufferedImage render() {
        CategoryChart chart = toXChart();
        BufferedImage img = BitmapEncoder.getBufferedImage(chart);
        drawErrorBars(chart, img);
        return img;
    }

    /**
     * Returns the category labels in axis order.
     *
     * @return an unmodifiable list
     */
    public List<String> categories() {
        return categories;
    }

    /**
     * Returns the series in drawing (and legend) order.
     *
     * @return an unmodifiable list
     */
    public List<Series> series() {
        return series;
    }

    private CategoryChart toXChart() {
        CategoryChart chart = styled(new CategoryChart(width, height));
        CategoryStyler st = chart.getStyler();
        // XChart sizes the y axis by the bars alone (from 0, which a log axis cannot show): give it a range
        // that holds the whiskers too, whole decades on a log axis.
        double[] yRange = logY ? logRange() : linearRange();
        st.setYAxisMin(yRange[0]);
        st.setYAxisMax(yRange[1]);
        st.setPlotGridVerticalLinesVisible(false);
        st.setAvailableSpaceFill(fill());
        st.setLegendVisible(series.size() > 1);
        st.setLegendPosition(LegendPosition.OutsideS);
        st.setLegendLayout(LegendLayout.Horizontal);
        st.setXAxisLabelRotation(labelsFit() ? 0 : 45);

        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            List<Double> values = new ArrayList<>(categories.size());
            for (double v : s.values) {
                values.add(v);
            }
            // Error bars are drawn by drawErrorBars, not by XChart: XChart 3.8 misplaces them on log axes.
            CategorySeries cs = chart.addSeries(s.name, categories, values);
            cs.setFillColor(ChartStyle.color(k));
        }
        return chart;
    }

    /**
     * Draws the whiskers {@code value ± error} (with caps) over the rendered bars. Uses the chart's
     * data-to-pixel mapping, which XChart sets while painting: category {@code i} occupies
     * {@code [x(i), x(i + 1))} and its bars fill the middle {@value #FILL} (or {@value #FILL_SINGLE} for a
     * single series) of that slot side by side, in series order.
     */
    private void drawErrorBars(CategoryChart chart, BufferedImage img) {
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(ChartStyle.TEXT);
            g.setStroke(new BasicStroke(1.5f));
            double fill = fill();
            for (int i = 0; i < categories.size(); i++) {
                double x0 = chart.getScreenXFromChart(i);
                double slot = chart.getScreenXFromChart(i + 1) - x0;
                double barW = slot * fill / series.size();
                double cap = Math.max(3, Math.min(8, barW * 0.2));
                for (int k = 0; k < series.size(); k++) {
                    Series s = series.get(k);
                    double e = s.error(i);
                    if (Double.isNaN(s.values[i]) || e == 0) {
                        continue;
                    }
                    double cx = x0 + slot * (1 - fill) / 2 + (k + 0.5) * barW;
                    double yLo = chart.getScreenYFromChart(s.values[i] - e);
                    double yHi = chart.getScreenYFromChart(s.values[i] + e);
                    g.draw(new Line2D.Double(cx, yLo, cx, yHi));
                    g.draw(new Line2D.Double(cx - cap, yLo, cx + cap, yLo));
                    g.draw(new Line2D.Double(cx - cap, yHi, cx + cap, yHi));
                }
            }
        } finally {
            g.dispose();
        }
    }

    private double fill() {
        return series.size() == 1 ? FILL_SINGLE : FILL;
    }

    /**
     * Returns {lo, hi} for a linear y axis: the range of all bars, whiskers and zero, with 5% headroom on
     * the side(s) away from zero.
     */
    private double[] linearRange() {
        double[] whiskers = whiskerRange();
        double lo = Math.min(0, whiskers[0]);
        double hi = Math.max(0, whiskers[1]);
        double span = hi - lo;
        if (span == 0) {
            return new double[] {0, 1};
        }
        return new double[] {lo < 0 ? lo - 0.05 * span : lo, hi > 0 ? hi + 0.05 * span : hi};
    }

    /**
     * Returns {lo, hi}: the powers of ten just below the lowest {@code value − error} and just above the
     * highest {@code value + error} over all bars ({1, 10} when there is no bar).
     */
    private double[] logRange() {
        double[] whiskers = whiskerRange();
        double lo = whiskers[0];
        double hi = whiskers[1];
        if (lo > hi) {
            return new double[] {1, 10};
        }
        double l = Math.floor(Math.log10(lo));
        double h = Math.ceil(Math.log10(hi));
        if (h <= l) {
            h = l + 1;
        }
        return new double[] {Math.pow(10, l), Math.pow(10, h)};
    }

    /**
     * Returns {lo, hi}: the lowest {@code value − error} and the highest {@code value + error} over all bars
     * (a missing error counts as 0); {+∞, −∞} when there is no bar.
     */
    private double[] whiskerRange() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.values.length; i++) {
                double v = s.values[i];
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v - s.error(i));
                    hi = Math.max(hi, v + s.error(i));
                }
            }
        }
        return new double[] {lo, hi};
    }

    /** Whether the category labels fit side by side under the plot (estimated from the tick font). */
    private boolean labelsFit() {
        FontMetrics fm = ChartStyle.fontMetrics(ChartStyle.TICK_FONT);
        double slot = plotWidth() / categories.size();
        for (String c : categories) {
            if (fm.stringWidth(c) + 8 > slot) {
                return false;
            }
        }
        return true;
    }

    @Override
    String contents() {
        return ", categories=" + categories + ", series=" + Arrays.toString(series.stream().map(Series::name).toArray());
    }

    /** Options, categories and series of a {@link BarChart}. Not thread-safe; the built chart is immutable. */
    public static final class Builder extends AxesChart.Builder<Builder> {
        private final List<String> categories = new ArrayList<>();
        private final List<Series> series = new ArrayList<>();

        private Builder() {
            super(DEFAULT_WIDTH, DEFAULT_HEIGHT);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Sets the category labels (replacing any set before), in axis order.
         *
         * @param categories distinct labels, at least one by {@link #build()}
         * @return this builder
         */
        public Builder categories(String... categories) {
            return categories(Arrays.asList(categories));
        }

        /**
         * Sets the category labels (replacing any set before), in axis order.
         *
         * @param categories distinct labels, at least one by {@link #build()}
         * @return this builder
         */
        public Builder categories(List<String> categories) {
            this.categories.clear();
            for (String c : categories) {
                this.categories.add(Objects.requireNonNull(c, "category"));
            }
            return this;
        }

        /**
         * Adds a series.
         *
         * @param series the series; one value per category
         * @return this builder
         */
        public Builder series(Series series) {
            this.series.add(Objects.requireNonNull(series, "series"));
            return this;
        }

        /**
         * Adds a series without error bars (values copied).
         *
         * @param name the legend label, not empty
         * @param values one value per category; {@code NaN} for no bar
         * @return this builder
         */
        public Builder series(String name, double[] values) {
            return series(new Series(name, values, null));
        }

        /**
         * Adds a series with optional error bars (arrays copied).
         *
         * @param name the legend label, not empty
         * @param values one value per category; {@code NaN} for no bar
         * @param errors one non-negative error per category ({@code NaN} for none), or {@code null}
         * @return this builder
         */
        public Builder series(String name, double[] values, double[] errors) {
            return series(new Series(name, values, errors));
        }

        /**
         * Builds the chart.
         *
         * @return the immutable chart
         * @throws IllegalArgumentException if there is no category or no series, a category or series name
         *     repeats, a series has the wrong number of values, or (log axis) a value or
         *     {@code value − error} is not positive
         */
        public BarChart build() {
            return new BarChart(this);
        }
    }
}
