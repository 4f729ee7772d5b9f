package io.vi4j.core.page;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import io.vi4j.core.io.AtomicFiles;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Renders a page's template and inlines its pictures as {@code data:} URIs. */
final class Html {
  /** Templates are compiled once per process (the factory caches them). */
  private static final MustacheFactory TEMPLATES = new DefaultMustacheFactory("io/vi4j/core/page");

  private Html() {}

  /**
   * Renders {@code template} (a resource beside this class, such as {@code run.mustache}) with
   * {@code scope} (maps and lists) and writes it atomically to {@code file}.
   */
  static void write(String template, Object scope, Path file) throws IOException {
    Mustache mustache = TEMPLATES.compile(template);
    StringWriter out = new StringWriter();
    mustache.execute(out, scope);
    AtomicFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** @return a PNG file as a {@code data:} URI */
  static String dataUri(Path png) throws IOException {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png));
  }

  /** @return a picture as a PNG {@code data:} URI */
  static String dataUri(RenderedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a PNG in memory", e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
