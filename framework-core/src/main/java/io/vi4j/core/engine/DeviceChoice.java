package io.vi4j.core.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vi4j.core.io.Printable;
import java.util.Locale;

/** Where arrays live. */
public enum DeviceChoice {
  AUTO,
  CPU,
  GPU;

  /** @return the config spelling. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code auto}, {@code cpu} or {@code gpu}. */
  @JsonCreator
  public static DeviceChoice parse(String text) {
    for (DeviceChoice d : values()) {
      if (d.configName().equals(text)) {
        return d;
      }
    }
    throw new IllegalArgumentException("device must be one of auto, cpu, gpu; got " + Printable.quote(text));
  }
}
