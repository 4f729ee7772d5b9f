package io.vi4j.core.page;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code report.html} of a comparison folder: its tables (one per evaluation protocol, from
 * {@code comparison-PROTOCOL.csv}), the learning curves and samples of every variant, and a link to the
 * page of every run.
 */
public final class ComparisonPage {
  private ComparisonPage() {}

  /**
   * Writes (or rewrites) {@code DIR/report.html} from the comparison's files.
   *
   * @return the page's path
   */
  public static Path write(Path dir) throws IOException {
    List<Section> sections = new ArrayList<>();
    Section tables = new Section("tables", "Results", "Means over seeds; rows ranked by test log-likelihood."
        + " Log-likelihoods, ELBOs and the expected reconstruction log-likelihood in nats per item, higher is"
        + " better; numbers of different protocols are not comparable.");
    List<Path> csvs = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "comparison-*.csv")) {
      files.forEach(csvs::add);
    }
    csvs.sort(null);
    for (Path csv : csvs) {
      List<String> lines = Files.readAllLines(csv);
      if (lines.isEmpty()) {
        continue;
      }
      List<List<String>> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        rows.add(cells(line).stream().map(ComparisonPage::cell).toList());
      }
      String protocol = csv.getFileName().toString().replaceAll("^comparison-|\\.csv$", "");
      tables.table("Protocol: " + protocol + " (" + csv.getFileName() + ")", cells(lines.get(0)),
          rows);
    }
    sections.add(tables);
    Section pictures = new Section("pictures", "Curves and samples", null);
    if (Files.isRegularFile(dir.resolve("curves.png"))) {
      pictures.figure(Html.dataUri(dir.resolve("curves.png")), "test -ELBO per epoch of every variant",
          "curves.png: the test −ELBO per epoch, mean over seeds, per variant.");
    }
    if (Files.isRegularFile(dir.resolve("samples.png"))) {
      pictures.figure(Html.dataUri(dir.resolve("samples.png")), "a row of samples from every variant",
          "samples.png: a row of samples from each variant's first run.");
    }
    if (!pictures.isEmpty()) {
      sections.add(pictures);
    }
    JsonNode runs = RunPage.json(dir.resolve("comparison.json"));
    if (runs != null) {
      Section links = new Section("runs", "Runs", "Each run's own page: its summary, curves and pictures.");
      for (JsonNode run : runs) {
        String path = run.path("variant").asText() + "/seed-" + run.path("seed").asText() + "/" + RunPage.FILE;
        if (Files.isRegularFile(dir.resolve(path))) {
          links.link(path, run.path("variant").asText() + ", seed " + run.path("seed").asText());
        }
      }
      if (!links.isEmpty()) {
        sections.add(links);
      }
    }
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("title", "vi4j comparison: " + dir.getFileName());
    scope.put("subtitle", dir.toAbsolutePath().normalize().toString());
    scope.put("sections", sections.stream().map(Section::scope).toList());
    scope.put("written", java.time.OffsetDateTime.now().withNano(0).toString());
    scope.put("regenerated", "vi4j compare writes this page when its runs have finished.");
    Path file = dir.resolve(RunPage.FILE);
    Html.write("page.mustache", scope, file);
    return file;
  }

  /** @return the cells of a CSV line, quoted cells (which may hold commas) unquoted */
  static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        cell.append('"');
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells;
  }

  /** @return a CSV cell as text, numbers shortened */
  private static String cell(String raw) {
    String text = raw.strip();
    try {
      double value = Double.parseDouble(text);
      return text.matches("-?\\d+") ? text : Numbers.text(value);
    } catch (NumberFormatException e) {
      return text;
    }
  }
}
