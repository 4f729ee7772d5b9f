package io.vi4j.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Jackson's parse and binding errors as one line a user can act on. */
public final class JsonProblems {
  private JsonProblems() {}

  /**
   * @return what is wrong with a JSON document in one line, without Jackson's Java type names and source
   *     excerpts: the field's path and the problem
   */
  public static String describe(JsonProcessingException e) {
    String field = "";
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (var ref : m.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      field = path.length() == 0 ? "" : "field " + path + ": ";
    }
    String problem;
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
      problem = "unknown field '" + u.getPropertyName() + "'";
      field = "";
    } else if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
      problem = "expected " + describe(m.getTargetType());
    } else {
      String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
      problem = original.lines().findFirst().orElse("").replaceAll("\\(class [^)]*\\)|`[\\w.$]+\\.(\\w+)`", "$1");
    }
    com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
    String where = at == null || at.getLineNr() <= 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return field + problem + where;
  }

  private static String describe(Class<?> type) {
    if (type == long.class || type == int.class || type == Long.class || type == Integer.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type == String.class) {
      return "a string";
    }
    return "an object";
  }
}
