package io.vi4j.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.vi4j.core.io.Printable;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * The YAML factory of configs. Its parser reads YAML's special floats ({@code .nan}, {@code .inf},
 * {@code -.inf}, which Jackson's parser reports as malformed numbers) so that a field's range check can
 * refuse them by name, and refuses what a config has no use for and Jackson would misread: anchors and
 * aliases (an alias would become the anchor's name as a string) and explicit tags ({@code !!str},
 * {@code !name}).
 */
final class StrictYamlFactory extends YAMLFactory {
  private static final long serialVersionUID = 1L;

  StrictYamlFactory() {
    super();
  }

  private StrictYamlFactory(StrictYamlFactory source) {
    super(source, null);
  }

  @Override
  public StrictYamlFactory copy() {
    return new StrictYamlFactory(this);
  }

  @Override
  protected YAMLParser _createParser(Reader reader, IOContext context) {
    return new Parser(context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
  }

  @Override
  protected YAMLParser _createParser(char[] data, int offset, int length, IOContext context, boolean recyclable) {
    return _createParser(new CharArrayReader(data, offset, length), context);
  }

  @Override
  protected YAMLParser _createParser(InputStream in, IOContext context) throws IOException {
    return _createParser(_createReader(in, null, context), context);
  }

  @Override
  protected YAMLParser _createParser(byte[] data, int offset, int length, IOContext context) throws IOException {
    return _createParser(_createReader(data, offset, length, null, context), context);
  }

  /** A YAML feature a config does not accept, at a line and column of the text. */
  static final class UnsupportedYamlException extends JsonParseException {
    private static final long serialVersionUID = 1L;
    private final String path;

    UnsupportedYamlException(JsonParser parser, String message, JsonLocation location) {
      super(parser, message, location);
      this.path = path(parser.getParsingContext());
    }

    /** @return the dotted path of the value, such as {@code model.encoder.hidden[0]}; empty at the top */
    String path() {
      return path;
    }

    private static String path(com.fasterxml.jackson.core.JsonStreamContext context) {
      java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
      for (var c = context; c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inArray()) {
          parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
        } else if (c.getCurrentName() != null) {
          parts.push("." + c.getCurrentName());
        }
      }
      String joined = String.join("", parts);
      return joined.startsWith(".") ? joined.substring(1) : joined;
    }
  }

  private static final class Parser extends YAMLParser {
    Parser(IOContext context, int parserFeatures, int formatFeatures,
        org.yaml.snakeyaml.LoaderOptions options, com.fasterxml.jackson.core.ObjectCodec codec, Reader reader) {
      super(context, parserFeatures, formatFeatures, options, codec, reader);
    }

    /** The first event with an anchor, an alias or a tag, refused by the next {@link #nextToken}. */
    private Event refused;

    /**
     * Notes the first anchor, alias or tag, and hands Jackson a tagged scalar without its tag, so that
     * Jackson does not decode it first (a {@code !!binary} value would fail as Base64).
     */
    @Override
    protected Event getEvent() {
      Event event = super.getEvent();
      if (refused == null && event != null && unsupported(event)) {
        refused = event;
        if (event instanceof ScalarEvent scalar) {
          return new ScalarEvent(null, null, new org.yaml.snakeyaml.events.ImplicitTuple(true, true), "",
              scalar.getStartMark(), scalar.getEndMark(), org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN);
        }
      }
      return event;
    }

    private static boolean unsupported(Event event) {
      return event instanceof AliasEvent || (event instanceof NodeEvent node && node.getAnchor() != null)
          || (event instanceof ScalarEvent scalar && scalar.getTag() != null)
          || (event instanceof CollectionStartEvent collection && collection.getTag() != null);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken token = super.nextToken();
      if (refused != null) {
        refuse(refused);
      }
      return token;
    }

    private void refuse(Event event) throws IOException {
      JsonLocation at = _locationFor(event.getStartMark());
      if (event instanceof AliasEvent alias) {
        throw anchors(alias.getAnchor(), at);
      }
      if (event instanceof NodeEvent node && node.getAnchor() != null) {
        throw anchors(node.getAnchor(), at);
      }
      String tag = event instanceof ScalarEvent scalar ? scalar.getTag()
          : event instanceof CollectionStartEvent collection ? collection.getTag() : null;
      if (tag != null) {
        String shown = tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring(18) : tag;
        throw new UnsupportedYamlException(this, "YAML tags (" + Printable.quote(shown) + ") are not supported;"
            + " write the value without its tag (in quotes for a string)", at);
      }
    }

    private UnsupportedYamlException anchors(String anchor, JsonLocation at) {
      String name = Printable.quote(anchor);
      name = name.substring(1, name.length() - 1);
      return new UnsupportedYamlException(this, "YAML anchors and aliases (&" + name + ", *" + name
          + ") are not supported; write the value out", at);
    }

    @Override
    protected void _parseNumericValue(int expectedType) throws IOException {
      Double special = _currToken == JsonToken.VALUE_NUMBER_FLOAT ? specialFloat(_textValue) : null;
      if (special != null) {
        _numberDouble = special;
        _numTypesValid = NR_DOUBLE;
        return;
      }
      super._parseNumericValue(expectedType);
    }

    @Override
    public Object getNumberValueDeferred() throws IOException {
      Double special = _currToken == JsonToken.VALUE_NUMBER_FLOAT ? specialFloat(_textValue) : null;
      return special != null ? special : super.getNumberValueDeferred();
    }
  }

  /** @return NaN or an infinity for YAML's {@code .nan}, {@code .inf}, {@code +.inf}, {@code -.inf} (any case); else null */
  static Double specialFloat(String text) {
    if (text == null || text.length() < 4 || text.length() > 5) {
      return null;
    }
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    return switch (lower) {
      case ".nan" -> Double.NaN;
      case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
      case "-.inf" -> Double.NEGATIVE_INFINITY;
      default -> null;
    };
  }
}
