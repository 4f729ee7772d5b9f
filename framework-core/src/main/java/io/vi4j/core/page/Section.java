package io.vi4j.core.page;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One section of a page, as the template reads it: a title, a note, tables, figures (inlined pictures with
 * captions) and folded texts (a config, a file's raw content).
 */
final class Section {
  private final String id;
  private final String title;
  private final String note;
  private final List<Map<String, Object>> tables = new ArrayList<>();
  private final List<Map<String, Object>> figures = new ArrayList<>();
  private final List<Map<String, Object>> texts = new ArrayList<>();
  private final List<Map<String, Object>> links = new ArrayList<>();

  /**
   * @param id the anchor of the section in the page
   * @param note a sentence under the title: where the section comes from (null for none)
   */
  Section(String id, String title, String note) {
    this.id = id;
    this.title = title;
    this.note = note;
  }

  /** Adds a table of text cells; each row has one cell per header entry. */
  Section table(String caption, List<String> header, List<List<String>> rows) {
    List<Map<String, Object>> rowMaps = new ArrayList<>();
    for (List<String> row : rows) {
      rowMaps.add(Map.of("cells", row));
    }
    tables.add(Map.of("caption", caption, "header", header, "rows", rowMaps));
    return this;
  }

  /**
   * Adds a picture.
   *
   * @param src a {@code data:} URI
   * @param alt what the picture shows, in words (for readers without images)
   * @param caption the caption under it
   */
  Section figure(String src, String alt, String caption) {
    figures.add(Map.of("src", src, "alt", alt, "caption", caption));
    return this;
  }

  /** Adds a link to another file, relative to the page (a run's own page, from a comparison's). */
  Section link(String href, String text) {
    links.add(Map.of("href", href, "text", text));
    return this;
  }

  /** Adds a folded block of preformatted text. */
  Section text(String summary, String body) {
    texts.add(Map.of("summary", summary, "body", body));
    return this;
  }

  /** @return whether the section shows anything beyond its title */
  boolean isEmpty() {
    return tables.isEmpty() && figures.isEmpty() && texts.isEmpty() && links.isEmpty();
  }

  /** @return the section as the template's scope */
  Map<String, Object> scope() {
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("id", id);
    scope.put("title", title);
    if (note != null) {
      scope.put("note", note);
    }
    scope.put("tables", tables);
    scope.put("figures", figures);
    scope.put("texts", texts);
    scope.put("links", links);
    scope.put("hasLinks", !links.isEmpty());
    return scope;
  }
}
