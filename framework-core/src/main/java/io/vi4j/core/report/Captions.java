package io.vi4j.core.report;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Words around a picture of {@link ImageGrid} tiles, so that it says what it shows: a title above, a caption
 * for each tile column beneath the title, and a label for each tile row on the left. The grid itself is
 * copied unchanged onto a white canvas.
 *
 * <pre>{@code
 * Captions.of("Imputation of the bottom half").rows(List.of("masked", "mean", "original"))
 *     .save(file, grid, grid.render(values, count, 28, 28), 28, 28);
 * }</pre>
 *
 * <p>Instances are immutable.
 */
public final class Captions {
  private static final int MARGIN = 8;

  private final String title;
  private final List<String> rows;
  private final List<String> columns;

  private Captions(String title, List<String> rows, List<String> columns) {
    this.title = title;
    this.rows = rows;
    this.columns = columns;
  }

  /** @param title what the picture shows, drawn above it (null or empty for none) */
  public static Captions of(String title) {
    return new Captions(title == null ? "" : title, List.of(), List.of());
  }

  /** @return these captions with a label per tile row, top to bottom (fewer labels leave rows bare) */
  public Captions rows(List<String> labels) {
    return new Captions(title, List.copyOf(labels), columns);
  }

  /** @return these captions with a caption per tile column, left to right */
  public Captions columns(List<String> captions) {
    return new Captions(title, rows, List.copyOf(captions));
  }

  /**
   * @param layout the grid that drew {@code grid} (its padding and scale place the words)
   * @param grid the tiles, as {@link ImageGrid#render} or {@link ImageGrid#renderPairs} drew them
   * @param height one item's height in pixels, before scaling
   * @param width one item's width in pixels, before scaling
   * @return the picture with its words
   */
  public BufferedImage render(ImageGrid layout, BufferedImage grid, int height, int width) {
    Objects.requireNonNull(grid, "grid");
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D measure = probe.createGraphics();
    FontMetrics titleMetrics = measure.getFontMetrics(ChartStyle.TITLE_FONT);
    FontMetrics labelMetrics = measure.getFontMetrics(ChartStyle.TICK_FONT);
    measure.dispose();
    int left = 0;
    for (String row : rows) {
      left = Math.max(left, labelMetrics.stringWidth(row) + 2 * MARGIN);
    }
    int top = (title.isEmpty() ? 0 : titleMetrics.getHeight() + MARGIN)
        + (columns.isEmpty() ? 0 : labelMetrics.getHeight() + MARGIN / 2);
    top = top == 0 ? 0 : top + MARGIN / 2;
    int widthNeeded = Math.max(left + grid.getWidth(),
        title.isEmpty() ? 0 : titleMetrics.stringWidth(title) + 2 * MARGIN);
    BufferedImage out = new BufferedImage(widthNeeded, top + grid.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.drawImage(grid, left, top, null);
      g.setColor(ChartStyle.TEXT);
      int y = MARGIN / 2;
      if (!title.isEmpty()) {
        g.setFont(ChartStyle.TITLE_FONT);
        g.drawString(title, MARGIN, y + titleMetrics.getAscent());
        y += titleMetrics.getHeight() + MARGIN;
      }
      int p = layout.padding();
      int tileWidth = layout.scale() * width;
      int tileHeight = layout.scale() * height;
      g.setFont(ChartStyle.TICK_FONT);
      for (int c = 0; c < columns.size(); c++) {
        int centre = left + p + c * (tileWidth + p) + tileWidth / 2;
        String caption = columns.get(c);
        g.drawString(caption, centre - labelMetrics.stringWidth(caption) / 2, y + labelMetrics.getAscent());
      }
      for (int r = 0; r < rows.size(); r++) {
        int centre = top + p + r * (tileHeight + p) + tileHeight / 2;
        g.drawString(rows.get(r), MARGIN, centre + labelMetrics.getAscent() / 2 - 1);
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Renders the words around {@code grid} (see {@link #render}) and writes the PNG atomically. */
  public void save(Path file, ImageGrid layout, BufferedImage grid, int height, int width) throws IOException {
    PngFiles.writeAtomically(file, render(layout, grid, height, width));
  }
}
