package io.vi4j.core.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;

/**
 * What {@link LineChart} and {@link BarChart} share: a title, axis labels, a picture size and a linear or
 * logarithmic y axis, set through a {@link Builder}; PNG writing; and the XChart chart those options
 * describe, styled by {@link ChartStyle}. Each chart adds its data, its checks and its drawing.
 *
 * <p>Package-private; the public methods are part of each chart's API.
 */
abstract class AxesChart {

    /** Estimated horizontal room taken by the y-axis label, tick labels and padding, in pixels. */
    private static final int LEFT_AND_RIGHT = 110;

    final String title;
    final String xLabel;
    final String yLabel;
    final int width;
    final int height;
    final boolean logY;

    AxesChart(Builder<?> b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.width = b.width;
        this.height = b.height;
        this.logY = b.logY;
    }

    /**
     * Renders the chart and writes it atomically as a PNG (through {@link PngFiles#writeAtomically}).
     *
     * @param file the PNG file to create or replace
     * @throws IOException if the file cannot be written
     */
    public void write(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        PngFiles.writeAtomically(file, render());
    }

    /**
     * Renders the chart.
     *
     * @return an RGB picture of {@link #width()} × {@link #height()} pixels
     */
    public abstract BufferedImage render();

    /**
     * Returns the picture width in pixels.
     *
     * @return the width
     */
    public int width() {
        return width;
    }

    /**
     * Returns the picture height in pixels.
     *
     * @return the height
     */
    public int height() {
        return height;
    }

    /**
     * Returns whether the y axis is logarithmic.
     *
     * @return {@code true} for a log-scale y axis
     */
    public boolean logY() {
        return logY;
    }

    /**
     * Gives a freshly made XChart chart of {@link #width()} × {@link #height()} pixels this chart's titles,
     * the shared look and the y-axis scale.
     *
     * @param chart the empty chart
     * @return {@code chart}
     */
    <C extends Chart<? extends AxesChartStyler, ?>> C styled(C chart) {
        ChartStyle.frame(chart, title, xLabel, yLabel).getStyler().setYAxisLogarithmic(logY);
        return chart;
    }

    /** Estimated width of the plot area in pixels: the picture less the y-axis label, tick labels and padding. */
    double plotWidth() {
        return Math.max(1, width - LEFT_AND_RIGHT);
    }

    /**
     * Returns what the chart holds, for {@link #toString()}.
     *
     * @return {@code ", name=value"} parts
     */
    abstract String contents();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + width + "x" + height + ", title=" + title + (logY ? ", logY" : "")
                + contents() + "]";
    }

    /**
     * The options every chart has. Not thread-safe; the built chart is immutable.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    abstract static class Builder<B extends Builder<B>> {
        private String title = "";
        private String xLabel = "";
        private String yLabel = "";
        private int width;
        private int height;
        private boolean logY;

        Builder(int width, int height) {
            this.width = width;
            this.height = height;
        }

        /** @return this builder, as its concrete type */
        abstract B self();

        /**
         * Sets the title drawn above the plot.
         *
         * @param title the title, or {@code null} or empty for none
         * @return this builder
         */
        public B title(String title) {
            this.title = title == null ? "" : title;
            return self();
        }

        /**
         * Sets the x-axis label (drawn under the tick or category labels).
         *
         * @param label the label, or {@code null} or empty for none
         * @return this builder
         */
        public B xLabel(String label) {
            this.xLabel = label == null ? "" : label;
            return self();
        }

        /**
         * Sets the y-axis label (drawn rotated along the left edge).
         *
         * @param label the label, or {@code null} or empty for none
         * @return this builder
         */
        public B yLabel(String label) {
            this.yLabel = label == null ? "" : label;
            return self();
        }

        /**
         * Sets the picture size.
         *
         * @param width width in pixels, positive
         * @param height height in pixels, positive
         * @return this builder
         * @throws IllegalArgumentException if a size is not positive
         */
        public B size(int width, int height) {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("width and height must be positive, got " + width + " x " + height);
            }
            this.width = width;
            this.height = height;
            return self();
        }

        /**
         * Chooses a logarithmic (base 10) or linear y axis; linear by default. On a log axis what is
         * plotted must be positive: every finite y value of a line chart, every value and every
         * {@code value − error} of a bar chart.
         *
         * @param logY {@code true} for a logarithmic y axis
         * @return this builder
         */
        public B logY(boolean logY) {
            this.logY = logY;
            return self();
        }
    }
}
