package io.vi4j.apps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Chromium run headless on a page from disk: the page's DOM after its load event (with what the
 * page's own check script wrote on {@code <body>}), and the console messages Chromium logged.
 */
final class HeadlessChromium {
  private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

  /** What a page showed. */
  record Rendered(String dom, String log) {
    /** @return the value of an attribute of {@code <body>}, or null */
    String bodyAttribute(String name) {
      Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
      if (!body.find()) {
        return null;
      }
      Matcher attribute = Pattern.compile(name + "=\"([^\"]*)\"").matcher(body.group(1));
      return attribute.find() ? attribute.group(1) : null;
    }

    /** @return the console lines Chromium logged (errors and warnings of the page's scripts) */
    List<String> consoleLines() {
      return log.lines().filter(line -> line.contains(":CONSOLE")).toList();
    }
  }

  private HeadlessChromium() {}

  /** @return the Chromium binary on the PATH, if there is one */
  static Optional<Path> find() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin");
    for (String name : NAMES) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** Loads {@code page} headless and returns its DOM after load and Chromium's log. */
  static Rendered render(Path chromium, Path page, Path scratch) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--disable-gpu", "--no-sandbox",
        "--no-first-run", "--user-data-dir=" + scratch.resolve("profile"), "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=10000", "--dump-dom", page.toAbsolutePath().toUri().toString()));
    Path out = scratch.resolve("dom.html");
    Path err = scratch.resolve("chromium.log");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("chromium did not finish rendering " + page + " within 120 s");
    }
    return new Rendered(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }
}
