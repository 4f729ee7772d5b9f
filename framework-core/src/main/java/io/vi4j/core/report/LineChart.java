package io.vi4j.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A small line chart (for learning curves) rendered with Java2D into a PNG.
 *
 * <p>The chart draws one or more named {@link Series} with antialiasing on a white background, with a
 * title, axis labels, light grid lines at "nice" tick positions (1, 2 or 5 × 10ⁿ) with tick labels,
 * and a legend in the corner of the plot area that hides the fewest points. Series colours cycle through a fixed
 * ten-colour palette. Points whose x or y is {@code NaN} or infinite are skipped: the line is broken
 * there and resumes at the next finite point. Isolated finite points, and all points of a series with
 * at most {@value #MARKER_LIMIT} points, are drawn as small dots. The axis ranges cover all finite
 * points, widened to whole ticks; with no finite point at all the axes show {@code [0, 1]}.
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
 * global is changed and no window is opened; text needs a font the JDK can load.
 */
public final class LineChart {

    /** Default picture width in pixels. */
    public static final int DEFAULT_WIDTH = 800;

    /** Default picture height in pixels. */
    public static final int DEFAULT_HEIGHT = 500;

    /** Series with at most this many points get a dot at every point. */
    public static final int MARKER_LIMIT = 40;

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf),
    };
    private static final Color BACKGROUND = Color.WHITE;
    private static final Color AXIS = new Color(0x333333);
    private static final Color GRID = new Color(0xE4E4E4);
    private static final Color TEXT = new Color(0x222222);

    /**
     * One named line: points {@code (x[i], y[i])} drawn in order.
     *
     * @param name the legend label
     * @param x the x coordinates
     * @param y the y coordinates, same length as {@code x}
     */
    public record Series(String name, double[] x, double[] y) {
        /**
         * Validates and copies the arrays.
         *
         * @param name the legend label
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
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final int width;
    private final int height;
    private final List<Series> series;

    private LineChart(Builder b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.width = b.width;
        this.height = b.height;
        this.series = List.copyOf(b.series);
    }

    /**
     * Returns a builder for an {@value #DEFAULT_WIDTH}×{@value #DEFAULT_HEIGHT} chart with no title,
     * labels or series.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes a default-size chart of {@code series} to {@code file}.
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
     * Renders the chart and writes it atomically as a PNG.
     *
     * @param file the PNG file to create or replace
     * @throws IOException if the file cannot be written
     */
    public void write(Path file) throws IOException {
        PngFiles.writeAtomically(file, render());
    }

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
     * Returns the series in drawing (and legend) order.
     *
     * @return an unmodifiable list
     */
    public List<Series> series() {
        return series;
    }

    /**
     * Renders the chart.
     *
     * @return an RGB picture of {@link #width()} × {@link #height()} pixels
     */
    public BufferedImage render() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);

        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font titleFont = base.deriveFont(Font.BOLD, 17f);
        Font labelFont = base.deriveFont(14f);
        g.setFont(base);
        FontMetrics fm = g.getFontMetrics(base);

        // Ranges and ticks.
        double[] xr = range(true);
        double[] yr = range(false);
        Ticks xt = Ticks.of(xr[0], xr[1], Math.max(2, width / 110));
        Ticks yt = Ticks.of(yr[0], yr[1], Math.max(2, height / 70));
        List<String> yTickLabels = new ArrayList<>();
        int yTickWidth = 0;
        for (double v : yt.values()) {
            String s = yt.format(v);
            yTickLabels.add(s);
            yTickWidth = Math.max(yTickWidth, fm.stringWidth(s));
        }

        // Plot area.
        int top = hasText(title) ? 20 + g.getFontMetrics(titleFont).getHeight() : 20;
        int left = 12 + yTickWidth + 8 + (hasText(yLabel) ? g.getFontMetrics(labelFont).getHeight() + 6 : 0);
        int bottom = height - (8 + fm.getHeight() + 8 + (hasText(xLabel) ? g.getFontMetrics(labelFont).getHeight() + 4 : 0));
        int right = width - 24;
        if (right - left < 10 || bottom - top < 10) {
            return; // too small to draw anything meaningful
        }
        Mapper map = new Mapper(xt.lo(), xt.hi(), yt.lo(), yt.hi(), left, right, top, bottom);

        // Grid and ticks.
        g.setStroke(new BasicStroke(1f));
        for (double v : xt.values()) {
            int px = (int) Math.round(map.px(v));
            g.setColor(GRID);
            g.drawLine(px, top, px, bottom);
            g.setColor(AXIS);
            g.drawLine(px, bottom, px, bottom + 4);
            String s = xt.format(v);
            g.setColor(TEXT);
            g.drawString(s, px - fm.stringWidth(s) / 2, bottom + 6 + fm.getAscent());
        }
        List<Double> yv = yt.values();
        for (int i = 0; i < yv.size(); i++) {
            int py = (int) Math.round(map.py(yv.get(i)));
            g.setColor(GRID);
            g.drawLine(left, py, right, py);
            g.setColor(AXIS);
            g.drawLine(left - 4, py, left, py);
            String s = yTickLabels.get(i);
            g.setColor(TEXT);
            g.drawString(s, left - 7 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        g.setColor(AXIS);
        g.drawRect(left, top, right - left, bottom - top);

        // Series.
        Shape oldClip = g.getClip();
        g.clipRect(left, top, right - left + 1, bottom - top + 1);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int s = 0; s < series.size(); s++) {
            drawSeries(g, series.get(s), PALETTE[s % PALETTE.length], map);
        }
        g.setClip(oldClip);

        // Title and axis labels.
        g.setColor(TEXT);
        if (hasText(title)) {
            g.setFont(titleFont);
            FontMetrics tm = g.getFontMetrics();
            g.drawString(title, (left + right) / 2 - tm.stringWidth(title) / 2, 12 + tm.getAscent());
        }
        g.setFont(labelFont);
        FontMetrics lm = g.getFontMetrics();
        if (hasText(xLabel)) {
            g.drawString(xLabel, (left + right) / 2 - lm.stringWidth(xLabel) / 2, height - 8 - lm.getDescent());
        }
        if (hasText(yLabel)) {
            AffineTransform saved = g.getTransform();
            g.translate(10 + lm.getAscent(), (top + bottom) / 2.0);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, -lm.stringWidth(yLabel) / 2f, 0f);
            g.setTransform(saved);
        }
        g.setFont(base);
        drawLegend(g, fm, map);
    }

    private void drawSeries(Graphics2D g, Series s, Color color, Mapper map) {
        g.setColor(color);
        double[] x = s.x;
        double[] y = s.y;
        int n = x.length;
        boolean markers = n <= MARKER_LIMIT;
        Path2D.Double path = new Path2D.Double();
        boolean penDown = false;
        for (int i = 0; i < n; i++) {
            boolean finite = Double.isFinite(x[i]) && Double.isFinite(y[i]);
            if (!finite) {
                penDown = false;
                continue;
            }
            double px = map.px(x[i]);
            double py = map.py(y[i]);
            if (penDown) {
                path.lineTo(px, py);
            } else {
                path.moveTo(px, py);
                penDown = true;
            }
            boolean prevFinite = i > 0 && Double.isFinite(x[i - 1]) && Double.isFinite(y[i - 1]);
            boolean nextFinite = i + 1 < n && Double.isFinite(x[i + 1]) && Double.isFinite(y[i + 1]);
            if (markers || (!prevFinite && !nextFinite)) {
                g.fill(new Ellipse2D.Double(px - 3, py - 3, 6, 6));
            }
        }
        g.draw(path);
    }

    private void drawLegend(Graphics2D g, FontMetrics fm, Mapper map) {
        List<Series> named = new ArrayList<>();
        List<Integer> colorIndex = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            if (hasText(series.get(i).name())) {
                named.add(series.get(i));
                colorIndex.add(i);
            }
        }
        if (named.isEmpty()) {
            return;
        }
        int swatch = 22;
        int textW = 0;
        for (Series s : named) {
            textW = Math.max(textW, fm.stringWidth(s.name()));
        }
        int lineH = fm.getHeight() + 2;
        int boxW = 10 + swatch + 8 + textW + 10;
        int boxH = 8 + named.size() * lineH + 4;
        // Put the legend in the plot-area corner that covers the fewest drawn points.
        int[][] corners = {
            {map.right() - boxW - 10, map.top() + 10},
            {map.left() + 10, map.top() + 10},
            {map.right() - boxW - 10, map.bottom() - boxH - 10},
            {map.left() + 10, map.bottom() - boxH - 10},
        };
        int bx = corners[0][0];
        int by = corners[0][1];
        long best = Long.MAX_VALUE;
        for (int[] c : corners) {
            long covered = coveredPoints(map, c[0] - 4, c[1] - 4, boxW + 8, boxH + 8);
            if (covered < best) {
                best = covered;
                bx = c[0];
                by = c[1];
            }
        }
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRect(bx, by, boxW, boxH);
        g.setColor(new Color(0xBBBBBB));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(bx, by, boxW, boxH);
        for (int i = 0; i < named.size(); i++) {
            int cy = by + 6 + i * lineH + lineH / 2;
            g.setColor(PALETTE[colorIndex.get(i) % PALETTE.length]);
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.drawLine(bx + 10, cy, bx + 10 + swatch, cy);
            g.setColor(TEXT);
            g.drawString(named.get(i).name(), bx + 10 + swatch + 8, cy + fm.getAscent() / 2 - 1);
        }
    }

    /** Counts points, and samples along segments, that fall inside the given pixel box. */
    private long coveredPoints(Mapper map, int bx, int by, int bw, int bh) {
        long n = 0;
        for (Series s : series) {
            double prevX = Double.NaN;
            double prevY = Double.NaN;
            for (int i = 0; i < s.x.length; i++) {
                if (!(Double.isFinite(s.x[i]) && Double.isFinite(s.y[i]))) {
                    prevX = Double.NaN;
                    continue;
                }
                double px = map.px(s.x[i]);
                double py = map.py(s.y[i]);
                int samples = Double.isNaN(prevX) ? 1 : 8;
                for (int k = 1; k <= samples; k++) {
                    double t = (double) k / samples;
                    double sx = samples == 1 ? px : prevX + t * (px - prevX);
                    double sy = samples == 1 ? py : prevY + t * (py - prevY);
                    if (sx >= bx && sx <= bx + bw && sy >= by && sy <= by + bh) {
                        n++;
                    }
                }
                prevX = px;
                prevY = py;
            }
        }
        return n;
    }

    /** Returns {min, max} over finite points of all series on one axis; [0, 1] if there are none. */
    private double[] range(boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) {
                    double v = xAxis ? s.x[i] : s.y[i];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        if (lo == hi) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new double[] {lo - pad, hi + pad};
        }
        return new double[] {lo, hi};
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }

    /** Linear data → pixel mapping. */
    private record Mapper(double x0, double x1, double y0, double y1, int left, int right, int top, int bottom) {
        double px(double x) {
            return left + (x - x0) / (x1 - x0) * (right - left);
        }

        double py(double y) {
            return bottom - (y - y0) / (y1 - y0) * (bottom - top);
        }
    }

    /** Evenly spaced "nice" ticks (1, 2 or 5 × 10ⁿ apart) covering a range. */
    private record Ticks(double lo, double hi, double step) {
        static Ticks of(double min, double max, int maxTicks) {
            double step = niceStep((max - min) / Math.max(1, maxTicks - 1));
            if (!(step > 0) || !Double.isFinite(step)) {
                step = Math.max(Math.abs(max - min), 1e-300);
            }
            double lo = Math.floor(min / step) * step;
            double hi = Math.ceil(max / step) * step;
            if (hi <= lo) {
                hi = lo + step;
            }
            return new Ticks(lo, hi, step);
        }

        List<Double> values() {
            List<Double> out = new ArrayList<>();
            long n = Math.round((hi - lo) / step);
            for (long i = 0; i <= n && i <= 1000; i++) {
                out.add(lo + i * step);
            }
            return out;
        }

        String format(double v) {
            if (Math.abs(v) < step * 1e-6) {
                v = 0; // avoid "-0" and 1e-17 residue
            }
            double mag = Math.max(Math.abs(lo), Math.abs(hi));
            if (mag >= 1e6 || (mag > 0 && mag < 1e-3)) {
                return String.format(Locale.ROOT, "%.3g", v);
            }
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
            return String.format(Locale.ROOT, "%." + Math.min(decimals, 10) + "f", v);
        }

        /** Rounds a raw step to 1, 2 or 5 times a power of ten. */
        private static double niceStep(double x) {
            if (!(x > 0) || !Double.isFinite(x)) {
                return 1;
            }
            double exp = Math.floor(Math.log10(x));
            double f = x / Math.pow(10, exp);
            double nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
            return nf * Math.pow(10, exp);
        }
    }

    /** Options and series of a {@link LineChart}. Not thread-safe; the built chart is immutable. */
    public static final class Builder {
        private String title = "";
        private String xLabel = "";
        private String yLabel = "";
        private int width = DEFAULT_WIDTH;
        private int height = DEFAULT_HEIGHT;
        private final List<Series> series = new ArrayList<>();

        private Builder() {}

        /**
         * Sets the title drawn above the plot.
         *
         * @param title the title, or {@code null} or empty for none
         * @return this builder
         */
        public Builder title(String title) {
            this.title = title == null ? "" : title;
            return this;
        }

        /**
         * Sets the x-axis label.
         *
         * @param label the label, or {@code null} or empty for none
         * @return this builder
         */
        public Builder xLabel(String label) {
            this.xLabel = label == null ? "" : label;
            return this;
        }

        /**
         * Sets the y-axis label (drawn rotated along the left edge).
         *
         * @param label the label, or {@code null} or empty for none
         * @return this builder
         */
        public Builder yLabel(String label) {
            this.yLabel = label == null ? "" : label;
            return this;
        }

        /**
         * Sets the picture size.
         *
         * @param width width in pixels, positive
         * @param height height in pixels, positive
         * @return this builder
         * @throws IllegalArgumentException if a size is not positive
         */
        public Builder size(int width, int height) {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("width and height must be positive, got " + width + " x " + height);
            }
            this.width = width;
            this.height = height;
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
         */
        public LineChart build() {
            return new LineChart(this);
        }
    }

    @Override
    public String toString() {
        return "LineChart[" + width + "x" + height + ", title=" + title + ", series="
                + Arrays.toString(series.stream().map(Series::name).toArray()) + "]";
    }
}
