package io.vi4j.core.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A scatter plot of 2-D points coloured by an integer label (one series per label), drawn with XChart. */
public final class ScatterChart {
  private ScatterChart() {}

  /**
   * Writes the plot atomically.
   *
   * @param x first coordinates
   * @param y second coordinates, same length
   * @param labels one per point, or null for a single series
   */
  public static void write(Path file, String title, String xLabel, String yLabel, double[] x, double[] y,
      int[] labels) throws IOException {
    write(file, title, xLabel, yLabel, x, y, labels, label -> "label " + label);
  }

  /**
   * Writes the plot atomically, with a legend entry per label that {@code legend} names (a class name).
   *
   * @param x first coordinates
   * @param y second coordinates, same length
   * @param labels one per point, or null for a single series
   * @param legend the legend's text for a label
   */
  public static void write(Path file, String title, String xLabel, String yLabel, double[] x, double[] y,
      int[] labels, IntFunction<String> legend) throws IOException {
    if (x.length != y.length || (labels != null && labels.length != x.length)) {
      throw new IllegalArgumentException("x, y and labels must have one entry per point: "
          + x.length + ", " + y.length + ", " + (labels == null ? "none" : labels.length));
    }
    XYChart chart = ChartStyle.frame(new XYChart(800, 700), title, xLabel, yLabel);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(4);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    Map<Integer, int[]> counts = new TreeMap<>();
    for (int i = 0; i < x.length; i++) {
      counts.computeIfAbsent(labels == null ? 0 : labels[i], k -> new int[1])[0]++;
    }
    int colour = 0;
    for (var entry : counts.entrySet()) {
      double[] sx = new double[entry.getValue()[0]];
      double[] sy = new double[sx.length];
      int j = 0;
      for (int i = 0; i < x.length; i++) {
        if ((labels == null ? 0 : labels[i]) == entry.getKey()) {
          sx[j] = x[i];
          sy[j] = y[i];
          j++;
        }
      }
      XYSeries series = chart.addSeries(labels == null ? "items" : legend.apply(entry.getKey()), sx, sy);
      series.setMarker(SeriesMarkers.CIRCLE);
      series.setMarkerColor(ChartStyle.color(colour++));
    }
    PngFiles.writeAtomically(file, BitmapEncoder.getBufferedImage(chart));
  }
}
