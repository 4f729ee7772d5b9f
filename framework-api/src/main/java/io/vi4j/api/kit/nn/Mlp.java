package io.vi4j.api.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.List;

/**
 * A multilayer perceptron {@code in → hidden… → out} with a nonlinearity after each hidden layer and a
 * linear output: the {@link Network} of {@link #layers}. Each layer is initialized as PyTorch's {@code nn.Linear} is, weights and biases uniform
 * in {@code ±1/√fan_in}, so that a vi4j model and its PyTorch twin start from the same distribution.
 */
public final class Mlp {
  private final Network network;
  private final int inputSize;
  private final int outputSize;

  /**
   * Builds and initializes the network on {@code manager}.
   *
   * @param manager the model's long-lived manager; parameters live there
   * @param inputSize input width
   * @param hidden hidden widths, possibly empty (a linear map)
   * @param outputSize output width
   * @param activation the hidden nonlinearity
   */
  public Mlp(
      NDManager manager, int inputSize, List<Integer> hidden, int outputSize, ActivationName activation) {
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    checkSizes(inputSize, hidden, outputSize);
    network = Network.build(manager, "hidden", new Shape(inputSize), layers(hidden, outputSize, activation), null,
        null);
  }

  /** @return the MLP as a network's layers: {@code linear, activation} per hidden width, then a linear output. */
  public static List<LayerSpec> layers(List<Integer> hidden, int outputSize, ActivationName activation) {
    List<LayerSpec> layers = new java.util.ArrayList<>();
    for (int width : hidden) {
      layers.add(new LayerSpec.Linear(width));
      layers.add(new LayerSpec.Activation(activation));
    }
    layers.add(new LayerSpec.Linear(outputSize));
    return layers;
  }

  /**
   * Fails, naming the layer, when a width is not positive or a layer's weights cannot fit in memory (a
   * width of two billion would otherwise end in a native allocation failure or an integer overflow).
   */
  static void checkSizes(int inputSize, List<Integer> hidden, int outputSize) {
    int[] widths = new int[hidden.size() + 2];
    widths[0] = inputSize;
    for (int i = 0; i < hidden.size(); i++) {
      widths[i + 1] = hidden.get(i);
    }
    widths[widths.length - 1] = outputSize;
    for (int i = 0; i < widths.length; i++) {
      if (widths[i] < 1) {
        String which = i == 0 ? "the input width" : i == widths.length - 1 ? "the output width"
            : "hidden width " + (i - 1);
        throw new IllegalArgumentException(which + " of the network is " + widths[i] + "; widths must be at least 1");
      }
    }
    for (int i = 1; i < widths.length; i++) {
      // Training keeps seven arrays of each weight's shape: the weight, its gradient, Adam's two moments
      // and the divergence guard's copies of the weight and the moments.
      String problem = io.vi4j.api.kit.math.MemoryBudget.nativeProblem(
          "layer " + i + " (" + widths[i - 1] + " → " + widths[i] + ") trains " + widths[i - 1] + " × " + widths[i]
              + " weights × 7 arrays (weight, gradient, Adam's moments, the divergence guard's copies of the three)",
          widths[i - 1], widths[i], 7);
      if (problem != null) {
        throw new IllegalArgumentException(problem + "; use smaller widths");
      }
    }
  }

  /** @return the DJL block holding the parameters. */
  public SequentialBlock block() {
    return network.block();
  }

  /** @return the network it is. */
  public Network network() {
    return network;
  }

  /** @return the input width. */
  public int inputSize() {
    return inputSize;
  }

  /** @return the output width. */
  public int outputSize() {
    return outputSize;
  }

  /**
   * Applies the network to the last axis.
   *
   * @param input shape {@code (..., in)}
   * @return shape {@code (..., out)}, attached to {@code input}'s manager
   */
  public NDArray forward(NDArray input) {
    return network.forward(input);
  }
}
