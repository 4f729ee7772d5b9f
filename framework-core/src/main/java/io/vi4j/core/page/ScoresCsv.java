package io.vi4j.core.page;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of {@code scores/scores.csv} ({@code item, label, outlier}, then one column per score) as
 * arrays.
 *
 * @param labels one label per item (-1 where the items have none)
 * @param outlier whether each item is one of the outlier classes
 * @param scores score name → one value per item, in the file's column order
 */
record ScoresCsv(int[] labels, boolean[] outlier, Map<String, double[]> scores) {

  /** @return the file's columns, or null when there is no such file or it holds no item */
  static ScoresCsv read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    List<String> lines = Files.readAllLines(file);
    if (lines.size() < 2) {
      return null;
    }
    String[] header = lines.get(0).split(",");
    int n = lines.size() - 1;
    int[] labels = new int[n];
    boolean[] outlier = new boolean[n];
    double[][] columns = new double[header.length - 3][n];
    for (int i = 0; i < n; i++) {
      String[] cells = lines.get(i + 1).split(",");
      if (cells.length != header.length) {
        throw new IOException(file + ": line " + (i + 2) + " has " + cells.length + " values, the header "
            + header.length);
      }
      try {
        labels[i] = Integer.parseInt(cells[1].strip());
        outlier[i] = !cells[2].strip().equals("0");
        for (int c = 3; c < header.length; c++) {
          columns[c - 3][i] = Double.parseDouble(cells[c].strip());
        }
      } catch (NumberFormatException e) {
        throw new IOException(file + ": line " + (i + 2) + " holds a value that is not a number (" + e.getMessage()
            + ")");
      }
    }
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (int c = 3; c < header.length; c++) {
      scores.put(header[c].strip(), columns[c - 3]);
    }
    return new ScoresCsv(labels, outlier, scores);
  }

  /** @return whether both outliers and inliers are among the items (a ROC curve needs both) */
  boolean hasBothGroups() {
    boolean any = false;
    boolean all = true;
    for (boolean o : outlier) {
      any |= o;
      all &= o;
    }
    return any && !all;
  }
}
