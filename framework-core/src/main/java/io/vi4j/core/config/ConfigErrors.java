package io.vi4j.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.vi4j.core.io.Printable;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * One-line messages for what goes wrong while a config is parsed: YAML syntax errors (SnakeYAML's are
 * several lines with a snippet and a caret), YAML features configs refuse, and the parts of binding
 * messages that describe types and values.
 */
final class ConfigErrors {
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)' for `");

  private ConfigErrors() {}

  /** @return the exception for text that could not be parsed as YAML at all (or used a refused feature) */
  static ConfigException syntax(String source, JsonProcessingException e) {
    if (e instanceof StrictYamlFactory.UnsupportedYamlException u) {
      JsonLocation at = u.getLocation();
      String where = !u.path().isEmpty() ? u.path() + location(at) + ": "
          : at == null || at.getLineNr() <= 0 ? ""
          : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      return new ConfigException(source + ": " + where + u.getOriginalMessage(), e);
    }
    MarkedYAMLException marked = find(e, MarkedYAMLException.class);
    if (marked != null) {
      String problem = marked.getProblem() == null ? "" : marked.getProblem().strip();
      String context = marked.getContext() == null ? "" : marked.getContext().strip();
      String message = problem.isEmpty() ? context : problem;
      message += location(marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark());
      if (!problem.isEmpty() && !context.isEmpty()) {
        Mark from = marked.getContextMark();
        message += ", " + context + (from == null ? "" : " from line " + (from.getLine() + 1) + ", column "
            + (from.getColumn() + 1));
      }
      return new ConfigException(source + ": not valid YAML or JSON: " + message, e);
    }
    String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    Matcher duplicate = DUPLICATE.matcher(original);
    String message;
    if (duplicate.find()) {
      message = "key " + Printable.quote(duplicate.group(1)) + " is given twice";
    } else if (original.startsWith("Trailing token")) {
      message = "more than one YAML document (a '---' line); a config is one document";
    } else if (original.startsWith("Expected a field name")) {
      message = "a key must be a single value, not a list or a mapping";
    } else if (e instanceof StreamConstraintsException) {
      message = "too large: " + original.replaceAll(",? from `[^`]*`", "");
    } else {
      message = original;
    }
    return new ConfigException(source + ": not valid YAML or JSON: " + message + location(e.getLocation()), e);
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** @return {@code " (line L, column C)"}, or nothing when unknown */
  static String location(JsonLocation location) {
    if (location == null || location.getLineNr() <= 0) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static String location(Mark mark) {
    return mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
  }

  /** @return what the current token of the exception's parser is, e.g. {@code ", got a list"}; or nothing */
  static String got(JsonMappingException e) {
    if (!(e.getProcessor() instanceof JsonParser parser)) {
      return "";
    }
    try {
      JsonToken token = parser.currentToken();
      if (token == null) {
        return "";
      }
      return switch (token) {
        case START_ARRAY -> ", got a list";
        case START_OBJECT, FIELD_NAME -> ", got a section";
        case VALUE_STRING -> ", got " + Printable.quote(parser.getText());
        case VALUE_NULL -> ", got null";
        case END_ARRAY, END_OBJECT, NOT_AVAILABLE, VALUE_EMBEDDED_OBJECT -> "";
        default -> ", got " + Printable.quote(parser.getText()).replaceAll("^'(.*)'$", "$1");
      };
    } catch (IOException | RuntimeException ignored) {
      return "";
    }
  }

  /** @return the text of the exception's parser's current token when it is a string; else null */
  static String stringToken(JsonMappingException e) {
    try {
      return e.getProcessor() instanceof JsonParser parser && parser.currentToken() == JsonToken.VALUE_STRING
          ? parser.getText() : null;
    } catch (IOException | RuntimeException ignored) {
      return null;
    }
  }

  /** @return the name of a type a config value can have, e.g. {@code integer} */
  static String describe(Class<?> type) {
    if (type == null) {
      return "value";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Short.class || type == short.class) {
      return "integer";
    }
    if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
      return "number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "boolean (true or false)";
    }
    if (type == String.class) {
      return "string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "list";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.stream(type.getEnumConstants())
          .map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
    return "section (" + type.getSimpleName() + ")";
  }

  /** @return {@link #describe} with an article, e.g. {@code an integer} */
  static String expected(Class<?> type) {
    String name = describe(type);
    if (name.startsWith("one of")) {
      return name;
    }
    return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
  }

  /** @return whether values of {@code type} are numbers or booleans */
  static boolean isScalar(Class<?> type) {
    String name = describe(type);
    return name.equals("integer") || name.equals("number") || name.startsWith("boolean");
  }
}
