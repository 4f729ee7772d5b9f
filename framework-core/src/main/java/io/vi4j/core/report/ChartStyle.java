package io.vi4j.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Locale;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;

/**
 * The look shared by {@link LineChart}, {@link BarChart} and {@link ScatterChart}: white background, light
 * grid, dark text and the ten-colour "tab10" palette, applied to an XChart styler.
 *
 * <p>Package-private; nothing here changes global state (in particular {@code java.awt.headless} is left
 * alone: XChart's {@code BitmapEncoder.getBufferedImage} only draws into a {@code BufferedImage}, which
 * works on headless JDKs whether or not that property is set).
 */
final class ChartStyle {

    /** Series colours, in order (matplotlib's "tab10"); series {@code i} gets entry {@code i % 10}. */
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf),
    };

    static final Color TEXT = new Color(0x222222);
    static final Color GRID = new Color(0xE4E4E4);
    static final Color BORDER = new Color(0x999999);

    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private ChartStyle() {}

    /**
     * Applies the shared look.
     *
     * @param s the styler of a freshly built chart
     * @param hasTitle whether a title is drawn (otherwise its space is freed)
     * @param hasXLabel whether an x-axis title is drawn
     * @param hasYLabel whether a y-axis title is drawn
     */
    private static void apply(AxesChartStyler s, boolean hasTitle, boolean hasXLabel, boolean hasYLabel) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(BORDER);
        s.setPlotGridLinesVisible(true);
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartFontColor(TEXT);
        s.setAxisTickLabelsColor(TEXT);
        s.setAxisTickMarksColor(BORDER);
        s.setChartTitleVisible(hasTitle);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(TITLE_FONT);
        s.setXAxisTitleVisible(hasXLabel);
        s.setYAxisTitleVisible(hasYLabel);
        s.setAxisTitleFont(AXIS_TITLE_FONT);
        s.setAxisTickLabelsFont(TICK_FONT);
        s.setLegendFont(LEGEND_FONT);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 230));
        s.setLegendBorderColor(new Color(0xBBBBBB));
        s.setLegendPadding(6);
        s.setSeriesColors(PALETTE);
        s.setLocale(Locale.ROOT);
        s.setAntiAlias(true);
        s.setChartPadding(12);
        s.setToolTipsEnabled(false);
    }

    /**
     * Gives a freshly made XChart chart its title and axis titles, and the shared look; a title or label
     * without visible text is hidden and its space freed.
     *
     * @param chart the empty chart
     * @param title the title, or {@code null} or blank for none
     * @param xLabel the x-axis label, or {@code null} or blank for none
     * @param yLabel the y-axis label, or {@code null} or blank for none
     * @return {@code chart}
     */
    static <C extends Chart<? extends AxesChartStyler, ?>> C frame(C chart, String title, String xLabel,
            String yLabel) {
        boolean hasTitle = hasText(title);
        chart.setTitle(hasTitle ? title : "");
        chart.setXAxisTitle(xLabel);
        chart.setYAxisTitle(yLabel);
        apply(chart.getStyler(), hasTitle, hasText(xLabel), hasText(yLabel));
        return chart;
    }

    /**
     * Returns the metrics of {@code font} as charts draw it (antialiasing aside), for estimating text sizes
     * before rendering.
     *
     * @param font the font
     * @return its metrics
     */
    static FontMetrics fontMetrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    /**
     * Returns the palette colour of series {@code i}.
     *
     * @param i the series index
     * @return its colour
     */
    static Color color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /**
     * Returns whether {@code s} has visible text.
     *
     * @param s a label, possibly {@code null}
     * @return {@code true} if it is non-null and not blank
     */
    static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
