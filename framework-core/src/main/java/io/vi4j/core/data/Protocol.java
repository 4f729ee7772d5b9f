package io.vi4j.core.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.DataKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * How test log-likelihoods are measured, so that only numbers measured the same way are ranked together.
 *
 * <ul>
 *   <li>{@code dequantized-8bit}: for densities on reals. Values in [0, 1] are read as 8-bit levels
 *       {@code k = round(255·x)} and replaced by {@code (k + u)/256}, {@code u ~ U(0, 1)} (seeded), in
 *       both splits; a density {@code p} on [0, 1]^D is then a proper model of the discrete data, and
 *       bits per dimension are {@code (−log p(x) + D ln 256)/(D ln 2)} (Theis, van den Oord &amp; Bethge
 *       2016).
 *   <li>{@code binarized}: for masses on {0, 1}: the data were binarized (static or dynamic); nats per
 *       item, and bits per (binary) dimension {@code −log p(x)/(D ln 2)}.
 *   <li>{@code raw}: values as loaded. Grey levels scored by a Bernoulli likelihood give a cross-entropy,
 *       not a probability, and a density on raw [0, 1] values can exceed 0 nats by hundreds: such figures
 *       are reported but never comparable, and no bits per dimension are given.
 * </ul>
 */
public enum Protocol {
  DEQUANTIZED_8BIT,
  BINARIZED,
  RAW;

  /** @return the config spelling, such as {@code dequantized-8bit}. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace("_8bit", "-8bit").replace('_', '-');
  }

  /** The config spelling of "choose by the model" (a null protocol). */
  public static final String AUTO = "auto";

  /** Parses a config spelling ({@code auto} is read as null: choose by the model). */
  @JsonCreator
  public static Protocol parse(String text) {
    if (AUTO.equals(text)) {
      return null;
    }
    for (Protocol p : values()) {
      if (p.configName().equals(text)) {
        return p;
      }
    }
    throw new IllegalArgumentException("protocol must be one of auto, "
        + Arrays.stream(values()).map(Protocol::configName).collect(Collectors.joining(", ")) + "; got '" + text + "'");
  }

  /**
   * The protocol a model of {@code kind} is evaluated under on {@code data} when the config says {@code auto}:
   * a table's values (standardised columns, level codes, counts) are evaluated as they are, whatever the model.
   */
  public static Protocol choose(DataKind kind, io.vi4j.api.data.DataSplits data) {
    return data.train().table() != null ? RAW : choose(kind, data.binarization());
  }

  /**
   * The protocol a model of {@code kind} is evaluated under when the config says {@code auto}.
   *
   * @param binarization how the data were loaded
   */
  public static Protocol choose(DataKind kind, Binarization binarization) {
    if (kind == DataKind.CONTINUOUS) {
      return DEQUANTIZED_8BIT;
    }
    if (kind == DataKind.MIXED) {
      return RAW; // a table's columns: neither 8-bit levels nor binarized pixels
    }
    return binarization == Binarization.NONE ? RAW : BINARIZED;
  }

  /**
   * Prepares the splits for this protocol: dequantizes for {@code dequantized-8bit}; checks that the
   * data are binary for {@code binarized}.
   *
   * @param seed seeds the dequantization noise
   */
  public DataSplits prepare(DataSplits data, long seed) {
    switch (this) {
      case DEQUANTIZED_8BIT: {
        if (data.binarization() != Binarization.NONE) {
          throw new IllegalArgumentException("protocol dequantized-8bit needs grey levels, but the data are"
              + " binarized (binarize: " + data.binarization().name().toLowerCase(Locale.ROOT) + ")");
        }
        SplittableRandom random = new SplittableRandom(seed);
        return new DataSplits(dequantize(data.train(), random.split()), dequantize(data.test(), random.split()),
            Binarization.NONE);
      }
      case BINARIZED:
        if (data.binarization() == Binarization.NONE) {
          throw new IllegalArgumentException("protocol binarized needs binarized data; set data.binarize to"
              + " static or dynamic");
        }
        return data;
      default:
        return data;
    }
  }

  /**
   * @param meanLogLikelihood mean {@code log p(x)} per item, nats
   * @param dimension {@code D}
   * @return bits per dimension, or NaN under {@code raw}
   */
  public double bitsPerDimension(double meanLogLikelihood, int dimension) {
    double nats = -meanLogLikelihood / dimension;
    return switch (this) {
      case DEQUANTIZED_8BIT -> (nats + Math.log(256)) / Math.log(2);
      case BINARIZED -> nats / Math.log(2);
      case RAW -> Double.NaN;
    };
  }

  private static Dataset dequantize(Dataset data, SplittableRandom random) {
    float[] in = data.values();
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) {
      if (!(in[i] >= 0 && in[i] <= 1)) {
        throw new IllegalArgumentException(data.name() + ": item " + (i / data.columns()) + ", position "
            + (i % data.columns()) + " has value " + in[i] + "; dequantized-8bit reads values in [0, 1] as 8-bit levels");
      }
      out[i] = (float) ((Math.round(in[i] * 255.0) + random.nextDouble()) / 256.0);
    }
    return new Dataset(data.name() + " (dequantized)", out, data.rows(), data.columns(),
        data.labels(), data.itemShape());
  }
}
