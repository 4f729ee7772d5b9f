package io.vi4j.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads experiment configs (YAML or JSON; JSON is YAML) into {@link ExperimentSpec}s with the names the
 * plugins registered, applies {@code key.path=value} overrides, and writes resolved configs back.
 * Every failure is a {@link ConfigException} naming the source, the field's path, its line and column,
 * and what is accepted.
 */
public final class ConfigLoader {
  private final PluginRegistry registry;
  private final ObjectMapper mapper;

  /** @param registry whose spec names configs may use as {@code type} */
  public ConfigLoader(PluginRegistry registry) {
    this.registry = registry;
    this.mapper = newMapper(YAMLMapper.builder(
        new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)));
    registry.namedSpecTypes().forEach(mapper::registerSubtypes);
  }

  private static ObjectMapper newMapper(YAMLMapper.Builder builder) {
    return builder
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        .build();
  }

  /** @return the mapper configured with every plugin's spec names (YAML in and out). */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Reads a config file and applies overrides.
   *
   * @param file a YAML or JSON file
   * @param overrides {@code dotted.path=value} strings; values are YAML scalars or flow collections
   */
  public ExperimentSpec load(Path file, List<String> overrides) {
    if (overrides.isEmpty()) {
      return parse(readText(file), file.toString());
    }
    return fromTree(readTree(file, overrides), file + " (with --set overrides)");
  }

  /**
   * Reads a config file as a tree and applies overrides, for tools that derive several configs from one
   * (such as {@code vi4j compare}).
   */
  public ObjectNode readTree(Path file, List<String> overrides) {
    ObjectNode root = readRoot(readText(file), file.toString());
    for (String override : overrides) {
      applyOverride(root, override);
    }
    return root;
  }

  private static String readText(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such config file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Parses one component section, such as an estimator given on the command line.
   *
   * @param text YAML, e.g. {@code "{type: score-function, samples: 4}"}
   * @param type the spec interface, e.g. {@code EstimatorSpec.class}
   * @param sourceName names the text in messages
   */
  public <T> T parseSection(String text, Class<T> type, String sourceName) {
    try {
      return mapper.readValue(text, type);
    } catch (JsonMappingException e) {
      throw translate(e, sourceName, text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(sourceName + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Binds a config tree.
   *
   * @param sourceName names the tree in messages (line numbers are not known)
   */
  public ExperimentSpec fromTree(ObjectNode tree, String sourceName) {
    try {
      return mapper.treeToValue(tree, ExperimentSpec.class);
    } catch (JsonMappingException e) {
      throw translate(e, sourceName, null);
    } catch (JsonProcessingException e) {
      throw new ConfigException(sourceName + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Merges {@code patch} into {@code base} in place: mappings merge key by key, anything else replaces.
   *
   * @return {@code base}
   */
  public static ObjectNode merge(ObjectNode base, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      return base;
    }
    patch.fields().forEachRemaining(entry -> {
      JsonNode existing = base.get(entry.getKey());
      if (existing != null && existing.isObject() && entry.getValue().isObject()
          && !entry.getValue().has("type")) {
        merge((ObjectNode) existing, entry.getValue());
      } else {
        base.set(entry.getKey(), entry.getValue().deepCopy());
      }
    });
    return base;
  }

  /**
   * Parses config text, keeping line numbers for messages.
   *
   * @param text YAML or JSON
   * @param sourceName the file name (or a description) used in messages
   */
  public ExperimentSpec parse(String text, String sourceName) {
    readRoot(text, sourceName);
    try {
      return mapper.readValue(text, ExperimentSpec.class);
    } catch (JsonMappingException e) {
      throw translate(e, sourceName, text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(sourceName + ": " + e.getOriginalMessage() + location(e.getLocation()), e);
    }
  }

  private ObjectNode readRoot(String text, String sourceName) {
    JsonNode tree;
    try {
      tree = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(sourceName + ": not valid YAML or JSON: " + e.getOriginalMessage()
          + location(e.getLocation()), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new ConfigException(sourceName + ": a config must be a mapping of sections (data, model, ...)");
    }
    return (ObjectNode) tree;
  }

  /** @return the config as YAML, with every default filled in and every {@code type} written out. */
  public String toYaml(ExperimentSpec spec) {
    try {
      return mapper.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write config: " + e.getMessage(), e);
    }
  }

  /** Sets {@code a.b.c} to a YAML-parsed value, creating sections on the way. */
  void applyOverride(ObjectNode root, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("--set " + override + ": expected path.to.key=value");
    }
    String path = override.substring(0, eq).trim();
    String valueText = override.substring(eq + 1);
    JsonNode value;
    try {
      value = valueText.isEmpty() ? JsonNodeFactory.instance.textNode("") : mapper.readTree(valueText);
    } catch (JsonProcessingException e) {
      throw new ConfigException("--set " + override + ": value is not valid YAML: " + e.getOriginalMessage());
    }
    String[] keys = path.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < keys.length - 1; i++) {
      JsonNode child = node.get(keys[i]);
      if (child == null || child.isNull()) {
        node = node.putObject(keys[i]);
      } else if (child.isObject()) {
        node = (ObjectNode) child;
      } else {
        throw new ConfigException("--set " + override + ": '" + String.join(".", List.of(keys).subList(0, i + 1))
            + "' is a value, not a section");
      }
    }
    node.set(keys[keys.length - 1], value == null ? JsonNodeFactory.instance.nullNode() : value);
  }

  private ConfigException translate(JsonMappingException e, String source, String text) {
    String path = path(e.getPath());
    JsonLocation at = text == null ? null : locate(text, e.getPath());
    String where = source + ": " + (path.isEmpty() ? "(top level)" : path) + location(at);
    if (e instanceof InvalidTypeIdException t) {
      ComponentKind<?, ?> kind = PluginRegistry.kindOfSpecInterface(t.getBaseType().getRawClass());
      String kindName = kind == null ? t.getBaseType().getRawClass().getSimpleName() : kind.name();
      String known = kind == null ? "" : "; known " + kindName + " types: " + String.join(", ", registry.names(kind));
      if (t.getTypeId() == null) {
        return new ConfigException(where + ": missing 'type' for the " + kindName + known, e);
      }
      return new ConfigException(
          where + ": unknown " + kindName + " type '" + t.getTypeId() + "'" + known, e);
    }
    if (e instanceof UnrecognizedPropertyException u) {
      String field = u.getPropertyName();
      String section = path.endsWith("." + field) ? path.substring(0, path.length() - field.length() - 1) : path;
      return new ConfigException(source + ": unknown field '" + field + "' in "
          + (section.isEmpty() || section.equals(field) ? "the top level" : section) + location(at)
          + "; accepted fields: " + accepted(u.getKnownPropertyIds()), e);
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      Throwable cause = v.getCause();
      return new ConfigException(where + ": " + cause.getMessage(), e);
    }
    if (e instanceof InvalidFormatException f) {
      return new ConfigException(where + ": '" + f.getValue() + "' is not a valid "
          + describe(f.getTargetType()) + problem(e), e);
    }
    if (e instanceof MismatchedInputException m) {
      return new ConfigException(where + ": expected " + describe(m.getTargetType()) + got(e) + problem(e), e);
    }
    Throwable cause = e.getCause();
    String message = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
    return new ConfigException(where + ": " + message, e);
  }

  private static String got(JsonMappingException e) {
    if (e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser) {
      try {
        String text = parser.getText();
        return text == null || text.isEmpty() ? "" : ", got '" + text + "'";
      } catch (IOException ignored) {
        return "";
      }
    }
    return "";
  }

  private static String problem(JsonMappingException e) {
    Throwable cause = e.getCause();
    return cause instanceof IllegalArgumentException ? " (" + cause.getMessage() + ")" : "";
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "value";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "integer";
    }
    if (type == Double.class || type == double.class || type == Float.class) {
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

  private static String accepted(Collection<Object> ids) {
    return ids == null ? "(none)" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  private static String location(JsonLocation location) {
    if (location == null || location.getLineNr() <= 0) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /**
   * Finds where the field at {@code references} starts in the text: Jackson reports where the parser
   * stopped, which for records (read through a buffer) is the end of the enclosing section.
   */
  private JsonLocation locate(String text, List<JsonMappingException.Reference> references) {
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference ref : references) {
      pointer.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex());
    }
    String target = pointer.toString();
    if (target.isEmpty()) {
      return null;
    }
    try (com.fasterxml.jackson.core.JsonParser parser = mapper.getFactory().createParser(text)) {
      while (parser.nextToken() != null) {
        if (parser.getParsingContext().pathAsPointer().toString().equals(target)) {
          return parser.currentTokenLocation();
        }
      }
    } catch (IOException ignored) {
      // the text was parsed once already; no location is better than a wrong one
    }
    return null;
  }

  /** @return a dotted path such as {@code model.encoder.hidden[0]}. */
  static String path(List<JsonMappingException.Reference> references) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : references) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

}
