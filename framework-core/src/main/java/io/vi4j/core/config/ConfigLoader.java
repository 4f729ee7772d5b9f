package io.vi4j.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.ComponentSpec;
import io.vi4j.core.data.Protocol;
import io.vi4j.core.io.Printable;
import io.vi4j.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads experiment configs (YAML or JSON; JSON is YAML) into {@link ExperimentSpec}s with the names the
 * plugins registered, applies {@code key.path=value} overrides, and writes resolved configs back.
 * Every failure is a {@link ConfigException} naming the source, the field's path, its line and column,
 * and what is accepted.
 *
 * <p>Reading is strict: a config file is at most {@link #MAX_CONFIG_BYTES} bytes of UTF-8; a number with a
 * fraction is not an integer; a quoted value is a string, never a number or a boolean ({@code yes},
 * {@code no}, {@code on} and {@code off} are strings too, as in YAML 1.2); YAML anchors, aliases and tags
 * are refused; {@code .nan} and {@code .inf} are read as numbers and refused by the range checks.
 */
public final class ConfigLoader {
  /** The largest config file read, in bytes (1 MiB; configs are a few hundred bytes). */
  public static final int MAX_CONFIG_BYTES = 1 << 20;

  /** The longest YAML text given on the command line ({@code --set} values, sections), in characters. */
  public static final int MAX_INLINE_CHARS = 1 << 16;

  private final PluginRegistry registry;
  private final ObjectMapper mapper;

  /** @param registry whose spec names configs may use as {@code type} */
  public ConfigLoader(PluginRegistry registry) {
    this.registry = registry;
    this.mapper = newMapper(YAMLMapper.builder(
        new StrictYamlFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)));
    registry.namedSpecTypes().forEach(mapper::registerSubtypes);
  }

  private static ObjectMapper newMapper(YAMLMapper.Builder builder) {
    return builder
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
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
      return parse(ConfigText.read(file), file.toString());
    }
    return fromTree(readTree(file, overrides), file + " (with --set overrides)");
  }

  /**
   * Reads a config file as a tree and applies overrides, for tools that derive several configs from one
   * (such as {@code vi4j compare}).
   */
  public ObjectNode readTree(Path file, List<String> overrides) {
    ObjectNode root = readRoot(ConfigText.read(file), file.toString());
    for (String override : overrides) {
      applyOverride(root, override);
    }
    return root;
  }

  /**
   * Parses one component section, such as an estimator given on the command line.
   *
   * @param text YAML, e.g. {@code "{type: score-function, samples: 4}"}, at most {@link #MAX_INLINE_CHARS}
   * @param type the spec interface, e.g. {@code EstimatorSpec.class}
   * @param sourceName names the text in messages
   */
  public <T> T parseSection(String text, Class<T> type, String sourceName) {
    ConfigText.check(text, sourceName, MAX_INLINE_CHARS, "a section on the command line");
    try {
      JsonNode tree = mapper.readTree(text);
      if (tree == null || !tree.isObject()) {
        throw new ConfigException(sourceName + ": expected a section such as {type: NAME, key: value}");
      }
      return mapper.readValue(text, type);
    } catch (JsonMappingException e) {
      throw translate(e, sourceName, text);
    } catch (JsonProcessingException e) {
      throw ConfigErrors.syntax(sourceName, e);
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
   * @param text YAML or JSON, at most {@link #MAX_CONFIG_BYTES} characters
   * @param sourceName the file name (or a description) used in messages
   */
  public ExperimentSpec parse(String text, String sourceName) {
    readRoot(text, sourceName);
    try {
      return mapper.readValue(text, ExperimentSpec.class);
    } catch (JsonMappingException e) {
      throw translate(e, sourceName, text);
    } catch (JsonProcessingException e) {
      throw ConfigErrors.syntax(sourceName, e);
    }
  }

  private ObjectNode readRoot(String text, String sourceName) {
    ConfigText.check(text, sourceName, MAX_CONFIG_BYTES, "a config");
    JsonNode tree;
    try {
      tree = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw ConfigErrors.syntax(sourceName, e);
    }
    if (tree == null || !tree.isObject()) {
      throw new ConfigException(sourceName + ": a config must be a mapping of sections (data, model, ...)");
    }
    return (ObjectNode) tree;
  }

  /**
   * @return the config as YAML, with every default filled in and every {@code type} written out (an
   *     evaluation protocol left to the model reads {@code auto})
   */
  public String toYaml(ExperimentSpec spec) {
    try {
      ObjectNode tree = mapper.valueToTree(spec);
      if (tree.get("evaluation") instanceof ObjectNode evaluation && !evaluation.has("protocol")) {
        evaluation.put("protocol", Protocol.AUTO);
      }
      return mapper.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write config: " + e.getMessage(), e);
    }
  }

  /**
   * Sets {@code a.b.c} to a YAML-parsed value, creating sections on the way. An empty value is refused
   * (it is not the default: leave the {@code --set} out, or give {@code null}).
   */
  void applyOverride(ObjectNode root, String override) {
    String source = "--set " + override;
    if (override.length() > MAX_INLINE_CHARS) {
      throw new ConfigException("--set " + Printable.quote(override) + ": a --set is at most " + MAX_INLINE_CHARS
          + " characters");
    }
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException(source + ": expected path.to.key=value");
    }
    String path = override.substring(0, eq).trim();
    String[] keys = path.split("\\.", -1);
    for (String key : keys) {
      if (key.isBlank()) {
        throw new ConfigException(source + ": the path " + Printable.quote(path)
            + " has an empty key; expected path.to.key=value");
      }
    }
    String valueText = override.substring(eq + 1);
    String noValue = source + ": no value given; to use the default, leave the --set out (or write "
        + path + "=null)";
    if (valueText.isBlank()) {
      throw new ConfigException(noValue);
    }
    ConfigText.check(valueText, source, MAX_INLINE_CHARS, "a --set value");
    JsonNode value;
    try {
      value = mapper.readTree(valueText);
    } catch (JsonProcessingException e) {
      throw ConfigErrors.syntax(source, e);
    }
    if (value == null || value.isMissingNode()) {
      throw new ConfigException(noValue);
    }
    ObjectNode node = root;
    for (int i = 0; i < keys.length - 1; i++) {
      JsonNode child = node.get(keys[i]);
      if (child == null || child.isNull()) {
        node = node.putObject(keys[i]);
      } else if (child.isObject()) {
        node = (ObjectNode) child;
      } else {
        throw new ConfigException(source + ": '" + String.join(".", List.of(keys).subList(0, i + 1))
            + "' is a value, not a section");
      }
    }
    node.set(keys[keys.length - 1], value);
  }

  private ConfigException translate(JsonMappingException e, String source, String text) {
    String path = path(e.getPath());
    JsonLocation at = text == null ? null : locate(text, e.getPath());
    String where = source + ": " + (path.isEmpty() ? "(top level)" : path) + ConfigErrors.location(at);
    if (e instanceof InvalidTypeIdException t && t.getBaseType().getRawClass() == io.vi4j.api.kit.nn.LayerSpec.class) {
      return closedTypeError(t, where, "layer", "a layer");
    }
    if (e instanceof InvalidTypeIdException t && t.getBaseType().getRawClass() == LrScheduleSpec.class) {
      return closedTypeError(t, where, "learning-rate schedule", "a learning-rate schedule");
    }
    if (e instanceof InvalidTypeIdException t) {
      ComponentKind<?, ?> kind = PluginRegistry.kindOfSpecInterface(t.getBaseType().getRawClass());
      String kindName = kind == null ? t.getBaseType().getRawClass().getSimpleName() : kind.name();
      String known = kind == null ? ""
          : registry.names(kind).isEmpty() ? "; no " + kindName + " types are registered (is the plugin's jar"
              + " loaded? give it with --plugins JAR)"
          : "; known " + kindName + " types: " + String.join(", ", registry.names(kind));
      if (t.getTypeId() == null) {
        return new ConfigException(where + ": missing 'type' for the " + kindName + known, e);
      }
      return new ConfigException(
          where + ": unknown " + kindName + " type " + Printable.quote(t.getTypeId()) + known
              + (kind == null || registry.names(kind).isEmpty() ? "" : " (another jar's plugins load with --plugins JAR)"),
          e);
    }
    if (e instanceof UnrecognizedPropertyException u) {
      String field = u.getPropertyName();
      String section = path.endsWith("." + field) ? path.substring(0, path.length() - field.length() - 1) : path;
      Collection<Object> known = u.getKnownPropertyIds();
      boolean typed = u.getReferringClass() != null && ComponentSpec.class.isAssignableFrom(u.getReferringClass());
      return new ConfigException(source + ": unknown field " + Printable.quote(field) + " in "
          + (section.isEmpty() || section.equals(field) ? "the top level" : section) + ConfigErrors.location(at)
          + (known == null || known.isEmpty()
              ? "; this section has no fields" + (typed ? " besides 'type'" : "")
              : "; accepted fields: " + accepted(known)), e);
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      Throwable cause = v.getCause();
      return new ConfigException(where + ": "
          + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()), e);
    }
    if (e instanceof MismatchedInputException m) {
      return new ConfigException(where + ": " + wrongKind(m), e);
    }
    Throwable cause = e.getCause();
    String message = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
    return new ConfigException(where + ": " + message, e);
  }

  /**
   * A missing or unknown {@code type} of a closed set of types (layers, learning-rate schedules), listing the
   * known ones.
   */
  private static ConfigException closedTypeError(InvalidTypeIdException t, String where, String noun, String aNoun) {
    String known = java.util.Arrays.stream(t.getBaseType().getRawClass()
            .getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value())
        .flatMap(type -> type.names().length > 0 ? java.util.Arrays.stream(type.names()) : java.util.stream.Stream.of(type.name()))
        .collect(Collectors.joining(", "));
    return new ConfigException(where + ": " + (t.getTypeId() == null ? aNoun + " needs a 'type'"
        : "unknown " + noun + " type " + Printable.quote(t.getTypeId())) + "; known " + noun + " types: " + known, t);
  }

  /**
   * A value of the wrong kind: a fraction for an integer, a quoted number (a string), a word for a number,
   * a list for a section.
   */
  private static String wrongKind(MismatchedInputException e) {
    Class<?> target = e.getTargetType();
    String expected = "expected " + ConfigErrors.expected(target);
    String got = ConfigErrors.got(e);
    Object value = e instanceof InvalidFormatException f ? f.getValue() : null;
    if (value instanceof Number) {
      return expected + (got.isEmpty() ? ", got " + value : got);
    }
    String text = value instanceof String s ? s : ConfigErrors.stringToken(e);
    if (text != null && ConfigErrors.isScalar(target)) {
      String trimmed = text.strip();
      boolean bool = trimmed.equals("true") || trimmed.equals("false");
      boolean number = trimmed.matches("[-+]?[\\d_]*\\.?[\\d_]*([eE][-+]?\\d+)?") && trimmed.matches(".*\\d.*");
      if (bool || number) {
        return expected + ", got the string " + Printable.quote(text) + "; write "
            + (ConfigErrors.describe(target).startsWith("boolean") ? "true or false" : "numbers") + " without quotes";
      }
      return Printable.quote(text) + " is not a valid " + ConfigErrors.describe(target) + problem(e);
    }
    return expected + got + problem(e);
  }

  private static String problem(JsonMappingException e) {
    Throwable cause = e.getCause();
    return cause instanceof IllegalArgumentException ? " (" + cause.getMessage() + ")" : "";
  }

  private static String accepted(Collection<Object> ids) {
    return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
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
