package io.vi4j.api.kit.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One layer of a network written in a config, as an element of a {@code network:} list:
 *
 * <pre>
 * network:
 *   - {type: conv2d, channels: 32, kernel: 4, stride: 2, padding: 1}
 *   - {type: relu}
 *   - {type: conv2d, channels: 64, kernel: 4, stride: 2, padding: 1}
 *   - {type: relu}
 *   - {type: flatten}              # optional: a linear layer after an image flattens it
 *   - {type: linear, units: 256}
 * </pre>
 *
 * The layers mirror PyTorch's {@code nn.Linear}, {@code nn.Conv2d}, {@code nn.ConvTranspose2d},
 * {@code nn.BatchNorm1d/2d}, {@code nn.Dropout} and the activations, with their defaults and their
 * initialisation (see {@link Network}). Each record validates its settings, naming the field.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type",
    visible = true)
@JsonSubTypes({
  @JsonSubTypes.Type(value = LayerSpec.Linear.class, name = "linear"),
  @JsonSubTypes.Type(value = LayerSpec.Conv2d.class, name = "conv2d"),
  @JsonSubTypes.Type(value = LayerSpec.ConvTranspose2d.class, name = "conv-transpose2d"),
  @JsonSubTypes.Type(value = LayerSpec.BatchNorm.class, name = "batch-norm"),
  @JsonSubTypes.Type(value = LayerSpec.Dropout.class, name = "dropout"),
  @JsonSubTypes.Type(value = LayerSpec.Reshape.class, name = "reshape"),
  @JsonSubTypes.Type(value = LayerSpec.Flatten.class, name = "flatten"),
  @JsonSubTypes.Type(value = LayerSpec.Activation.class,
      names = {"relu", "tanh", "sigmoid", "softplus", "elu", "gelu", "leaky_relu"}),
})
public sealed interface LayerSpec {

  /** @return the layer's {@code type} as a config writes it. */
  @JsonProperty("type")
  String type();

  /**
   * A fully connected layer; an image input is flattened first.
   *
   * @param units output width, at least 1
   */
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonPropertyOrder({"type", "units"})
  record Linear(Integer units) implements LayerSpec {
    /** Validates. */
    public Linear {
      positive("units", units);
    }

    @Override
    public String type() {
      return "linear";
    }
  }

  /**
   * A 2-D convolution over a {@code C×H×W} input: output height {@code ⌊(H + 2p − k)/s⌋ + 1}.
   *
   * @param channels output channels
   * @param kernel square kernel size {@code k}
   * @param stride {@code s}, default 1
   * @param padding {@code p} (zeros on every side), default 0
   */
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonPropertyOrder({"type", "channels", "kernel", "stride", "padding"})
  record Conv2d(Integer channels, Integer kernel, Integer stride, Integer padding) implements LayerSpec {
    /** Fills defaults and validates. */
    public Conv2d {
      positive("channels", channels);
      positive("kernel", kernel);
      stride = stride == null ? 1 : stride;
      positive("stride", stride);
      padding = padding == null ? 0 : padding;
      nonNegative("padding", padding);
    }

    @Override
    public String type() {
      return "conv2d";
    }
  }

  /**
   * A 2-D transposed convolution: output height {@code (H − 1)·s − 2p + k + output_padding}.
   *
   * @param channels output channels
   * @param kernel square kernel size {@code k}
   * @param stride {@code s}, default 1
   * @param padding {@code p}, default 0
   * @param outputPadding added to one side of the output, below {@code stride}; default 0
   */
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonPropertyOrder({"type", "channels", "kernel", "stride", "padding", "output_padding"})
  record ConvTranspose2d(Integer channels, Integer kernel, Integer stride, Integer padding, Integer outputPadding)
      implements LayerSpec {
    /** Fills defaults and validates. */
    public ConvTranspose2d {
      positive("channels", channels);
      positive("kernel", kernel);
      stride = stride == null ? 1 : stride;
      positive("stride", stride);
      padding = padding == null ? 0 : padding;
      nonNegative("padding", padding);
      outputPadding = outputPadding == null ? 0 : outputPadding;
      nonNegative("output_padding", outputPadding);
      if (outputPadding >= stride) {
        throw new IllegalArgumentException("output_padding must be below stride (" + stride + "), got "
            + outputPadding);
      }
    }

    @Override
    public String type() {
      return "conv-transpose2d";
    }
  }

  /**
   * Batch normalization over the channel axis (the feature axis of a flat input), as PyTorch's
   * {@code BatchNorm1d/2d}: batch statistics while training, running averages (momentum 0.1) otherwise.
   *
   * @param epsilon added to the variance, default 1e-5
   */
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonPropertyOrder({"type", "epsilon"})
  record BatchNorm(Double epsilon) implements LayerSpec {
    /** Fills the default and validates. */
    public BatchNorm {
      epsilon = epsilon == null ? 1e-5 : epsilon;
      if (!(epsilon > 0) || epsilon.isInfinite()) {
        throw new IllegalArgumentException("epsilon must be a positive finite number, got " + epsilon);
      }
    }

    @Override
    public String type() {
      return "batch-norm";
    }
  }

  /**
   * Dropout while training (identity otherwise).
   *
   * @param rate the probability of zeroing a value, in [0, 1)
   */
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonPropertyOrder({"type", "rate"})
  record Dropout(Double rate) implements LayerSpec {
    /** Validates. */
    public Dropout {
      if (rate == null || !(rate >= 0 && rate < 1)) {
        throw new IllegalArgumentException("rate must be in [0, 1), got " + rate);
      }
    }

    @Override
    public String type() {
      return "dropout";
    }
  }

  /**
   * Gives the input another shape of the same number of values, such as {@code [64, 7, 7]} after a
   * linear layer of 3136 units.
   *
   * @param shape the item's new shape (no batch axis): one dimension (flat) or three (channels, height,
   *     width)
   */
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonPropertyOrder({"type", "shape"})
  record Reshape(List<Integer> shape) implements LayerSpec {
    /** Validates. */
    public Reshape {
      if (shape == null || !(shape.size() == 1 || shape.size() == 3)) {
        throw new IllegalArgumentException("shape must list 1 dimension (flat) or 3 (channels, height, width), got "
            + shape);
      }
      for (int i = 0; i < shape.size(); i++) {
        if (shape.get(i) == null || shape.get(i) < 1) {
          throw new IllegalArgumentException("shape[" + i + "] must be at least 1, got " + shape.get(i));
        }
      }
      shape = List.copyOf(shape);
    }

    @Override
    public String type() {
      return "reshape";
    }
  }

  /** Flattens an image into a vector (a linear layer does it by itself). */
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  record Flatten() implements LayerSpec {
    @Override
    public String type() {
      return "flatten";
    }
  }

  /**
   * An elementwise nonlinearity, written by its name: {@code {type: relu}}.
   *
   * @param function the nonlinearity
   */
  record Activation(@JsonIgnore ActivationName function) implements LayerSpec {
    /** Validates. */
    public Activation {
      if (function == null) {
        throw new IllegalArgumentException("an activation needs a function");
      }
    }

    /** Reads {@code {type: relu}}. */
    @JsonCreator
    static Activation of(@JsonProperty("type") String type) {
      return new Activation(ActivationName.parse(type));
    }

    @Override
    public String type() {
      return function.configName();
    }
  }

  private static void positive(String field, Integer value) {
    if (value == null || value < 1) {
      throw new IllegalArgumentException(field + " must be at least 1, got " + value);
    }
  }

  private static void nonNegative(String field, Integer value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be at least 0, got " + value);
    }
  }
}
