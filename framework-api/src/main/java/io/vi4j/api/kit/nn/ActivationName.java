package io.vi4j.api.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The hidden-layer nonlinearities a config may name (lower case in configs). */
public enum ActivationName {
  RELU(Activation::relu),
  TANH(Activation::tanh),
  SIGMOID(Activation::sigmoid),
  SOFTPLUS(Activation::softPlus),
  ELU(x -> Activation.elu(x, 1f)),
  GELU(Activation::gelu),
  LEAKY_RELU(x -> Activation.leakyRelu(x, 0.01f));

  private final Function<NDArray, NDArray> function;

  ActivationName(Function<NDArray, NDArray> function) {
    this.function = function;
  }

  /** @return the name used in configs, such as {@code leaky_relu}. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return a block applying the nonlinearity elementwise. */
  public Block block() {
    return new LambdaBlock(list -> new ai.djl.ndarray.NDList(function.apply(list.singletonOrThrow())));
  }

  /** Parses a config name; an unknown one fails listing the accepted names. */
  @JsonCreator
  public static ActivationName parse(String name) {
    for (ActivationName a : values()) {
      if (a.configName().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + name + "'; accepted: "
            + Arrays.stream(values()).map(ActivationName::configName).collect(Collectors.joining(", ")));
  }
}
