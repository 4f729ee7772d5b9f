package io.vi4j.core.page;

import io.vi4j.core.data.ClassNames;
import io.vi4j.core.report.LineChart;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Charts of outlier scores ({@code scores/scores.csv}): a histogram of each score per class, and the ROC
 * curve of each score for the items marked as outliers.
 */
final class ScoreCharts {
  private static final int BINS = 40;

  private ScoreCharts() {}

  /**
   * @param values one score per item
   * @param labels one label per item
   * @param classes names the labels
   * @return the share of each class's items per bin, one line per class, over the 0.5th to 99.5th
   *     percentile of all items' scores (a few extreme items would squeeze the rest into one bin)
   */
  static BufferedImage histograms(String title, double[] values, int[] labels, ClassNames classes) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double lo = sorted[(int) Math.floor(0.005 * (sorted.length - 1))];
    double hi = sorted[(int) Math.ceil(0.995 * (sorted.length - 1))];
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    // Bins of a round width (1, 2 or 5 times a power of ten) from a multiple of it: short tick labels.
    double width = niceWidth((hi - lo) / BINS);
    lo = Math.floor(lo / width) * width;
    int bins = Math.max(1, (int) Math.ceil((hi - lo) / width));
    double[] centres = new double[bins];
    for (int b = 0; b < bins; b++) {
      centres[b] = lo + (b + 0.5) * width;
    }
    Map<Integer, double[]> counts = new TreeMap<>();
    Map<Integer, Integer> totals = new TreeMap<>();
    for (int i = 0; i < values.length; i++) {
      int bin = (int) Math.floor((values[i] - lo) / width);
      bin = Math.max(0, Math.min(bins - 1, bin));
      counts.computeIfAbsent(labels[i], k -> new double[bins])[bin]++;
      totals.merge(labels[i], 1, Integer::sum);
    }
    LineChart.Builder chart = LineChart.builder().title(title).xLabel("score (nats; higher is more unusual)")
        .yLabel("share of the class's items").size(560, 380);
    for (var entry : counts.entrySet()) {
      double[] share = entry.getValue().clone();
      for (int b = 0; b < bins; b++) {
        share[b] /= totals.get(entry.getKey());
      }
      chart.series(entry.getKey() < 0 ? "all items" : classes.legend(entry.getKey()), centres, share);
    }
    return chart.build().render();
  }

  /** @return the smallest of 1, 2 and 5 times a power of ten that is at least {@code raw} */
  static double niceWidth(double raw) {
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= raw) {
        return step * power;
      }
    }
    return 10 * power;
  }

  /**
   * @param scores name → one score per item, in the order to draw
   * @param outlier which items are outliers
   * @return the ROC curve of every score (true-positive against false-positive rate), and chance
   */
  static BufferedImage roc(Map<String, double[]> scores, boolean[] outlier) {
    LineChart.Builder chart = LineChart.builder().title("ROC curves: finding the outlier classes")
        .xLabel("inliers flagged (false-positive rate, %)").yLabel("outliers flagged (true-positive rate, %)")
        .size(560, 420);
    for (var entry : scores.entrySet()) {
      double[][] curve = rocCurve(entry.getValue(), outlier);
      // Percentages at every 2 % of inliers flagged (the best rate reached by then): few points, round ticks.
      double[] x = new double[51];
      double[] y = new double[51];
      int j = 0;
      for (int i = 0; i < x.length; i++) {
        x[i] = 2 * i;
        while (j + 1 < curve[0].length && curve[0][j + 1] * 100 <= x[i] + 1e-9) {
          j++;
        }
        y[i] = 100 * curve[1][j];
      }
      chart.series(entry.getKey(), x, y);
    }
    chart.series("chance", new double[] {0, 100}, new double[] {0, 100});
    return chart.build().render();
  }

  /** @return {false-positive rates, true-positive rates}, from (0, 0) to (1, 1), ties taken together */
  static double[][] rocCurve(double[] scores, boolean[] outlier) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    int positives = 0;
    for (boolean o : outlier) {
      positives += o ? 1 : 0;
    }
    int negatives = outlier.length - positives;
    List<double[]> points = new ArrayList<>();
    points.add(new double[] {0, 0});
    int tp = 0;
    int fp = 0;
    for (int r = 0; r < order.length; r++) {
      if (outlier[order[r]]) {
        tp++;
      } else {
        fp++;
      }
      if (r + 1 == order.length || scores[order[r + 1]] != scores[order[r]]) {
        points.add(new double[] {fp / (double) Math.max(1, negatives), tp / (double) Math.max(1, positives)});
      }
    }
    double[][] out = new double[2][points.size()];
    for (int i = 0; i < points.size(); i++) {
      out[0][i] = points.get(i)[0];
      out[1][i] = points.get(i)[1];
    }
    return out;
  }
}
