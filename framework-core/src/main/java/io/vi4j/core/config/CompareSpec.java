package io.vi4j.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.vi4j.core.io.Printable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A comparison: the experiment around it is trained once per variant and seed, each variant's section
 * merged over the base config (mappings merge key by key; other values replace).
 *
 * <pre>{@code
 * compare:
 *   seeds: [0, 1, 2]
 *   variants:
 *     reparameterization: {estimator: {type: reparameterization}}
 *     score-none: {estimator: {type: score-function, samples: 4}}
 * }</pre>
 *
 * @param seeds the seeds every variant is trained with (default {@code [0]})
 * @param variants name → patch over the base config, in order; names become directory names
 */
public record CompareSpec(List<Long> seeds, Map<String, JsonNode> variants) {
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (ExperimentSpec.MAX_NAME_LENGTH - 1) + "}");

  /** Fills defaults and validates. */
  public CompareSpec {
    if (seeds != null && seeds.contains(null)) {
      throw new IllegalArgumentException("seeds[" + seeds.indexOf(null) + "] is null; give integer seeds");
    }
    seeds = seeds == null || seeds.isEmpty() ? List.of(0L) : List.copyOf(seeds);
    if (variants == null || variants.isEmpty()) {
      throw new IllegalArgumentException("variants must name at least one variant (name: {patch})");
    }
    for (Map.Entry<String, JsonNode> v : variants.entrySet()) {
      if (!NAME.matcher(v.getKey()).matches()) {
        throw new IllegalArgumentException("variant name " + Printable.quote(v.getKey())
            + " must be letters, digits, '.', '_' or '-', at most " + ExperimentSpec.MAX_NAME_LENGTH
            + " characters (it names a directory)");
      }
      if (v.getValue() == null || !(v.getValue().isObject() || v.getValue().isNull())) {
        throw new IllegalArgumentException("variant " + Printable.quote(v.getKey())
            + " must be a mapping of config sections");
      }
    }
    variants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variants));
  }
}
