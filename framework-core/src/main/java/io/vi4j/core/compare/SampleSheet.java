package io.vi4j.core.compare;

import io.vi4j.core.report.PngFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * One picture with a row of samples from every variant side by side: the bottom row of each variant's
 * first run's {@code samples.png}, labelled with the variant's name.
 */
final class SampleSheet {
  private static final int LABEL_WIDTH = 220;
  /** Height of one row of {@code ImageGrid} tiles at scale 2 with padding 2 (28-pixel items). */
  private static final int ROW_HEIGHT = 2 + 56 + 2;

  private SampleSheet() {}

  static void write(Path out, Collection<String> variants, List<Comparison.Run> runs) throws IOException {
    List<String> names = new ArrayList<>();
    List<BufferedImage> rows = new ArrayList<>();
    for (String variant : variants) {
      long seed = runs.stream().filter(r -> r.variant().equals(variant)).findFirst().orElseThrow().seed();
      Path file = out.resolve(variant).resolve("seed-" + seed).resolve("samples.png");
      if (!Files.isRegularFile(file)) {
        continue;
      }
      BufferedImage image = ImageIO.read(file.toFile());
      names.add(variant);
      // The bottom row of tiles: samples.png has its title above the grid and nothing below.
      int rowHeight = Math.min(ROW_HEIGHT, image.getHeight());
      rows.add(image.getSubimage(0, image.getHeight() - rowHeight, image.getWidth(), rowHeight));
    }
    if (rows.isEmpty()) {
      return;
    }
    int width = LABEL_WIDTH + rows.stream().mapToInt(BufferedImage::getWidth).max().orElse(0);
    int height = rows.stream().mapToInt(BufferedImage::getHeight).sum();
    BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
      int y = 0;
      for (int i = 0; i < rows.size(); i++) {
        BufferedImage row = rows.get(i);
        g.setColor(Color.BLACK);
        g.drawString(names.get(i), 8, y + row.getHeight() / 2 + 5);
        g.drawImage(row, LABEL_WIDTH, y, null);
        y += row.getHeight();
      }
    } finally {
      g.dispose();
    }
    PngFiles.writeAtomically(out.resolve("samples.png"), sheet);
  }
}
