package io.vi4j.api.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import io.vi4j.api.kit.math.MemoryBudget;
import java.util.ArrayList;
import java.util.List;

/**
 * A network built from a config's list of layers ({@link LayerSpec}) for items of a known shape. Every
 * layer's output shape is computed before anything is allocated, so a network that does not fit its data
 * — a convolution that shrinks the image to nothing, a reshape that does not divide, a decoder whose
 * output is not the data's shape — fails at assembly, naming the layer's place in the config
 * ({@code network[3]}), the shape that came in and the shape that was needed.
 *
 * <p>Initialisation is PyTorch's default for the same layers, so a vi4j network and its PyTorch twin
 * start from the same distribution: weights and biases uniform in {@code ±1/√fan_in} with {@code fan_in}
 * the input width of a linear layer, {@code C_in·k²} for a convolution and — as PyTorch computes it from
 * the weight's second axis — {@code C_out·k²} for a transposed convolution; batch norm starts at scale 1,
 * shift 0, running mean 0 and variance 1.
 *
 * <p>Items arrive flat, {@code (..., D)}; the network gives them its input shape and returns its output
 * flat, {@code (..., D_out)}. Batch norm and dropout follow {@link TrainingMode}.
 */
public final class Network {
  /**
   * One row of the network's table.
   *
   * @param path the layer's place in the config, such as {@code network[3]}
   * @param type the layer's type
   * @param output the shape of one item after the layer
   * @param parameters trained scalars of the layer (batch norm's running statistics not counted)
   */
  public record Layer(String path, String type, Shape output, long parameters) {}

  private final SequentialBlock block;
  private final ParameterStore parameterStore;
  private final Shape input;
  private final Shape blockInput;
  private final Shape output;
  private final boolean flatPath;
  private final List<Layer> layers;

  private Network(SequentialBlock block, NDManager manager, Shape input, Shape blockInput, Shape output,
      boolean flatPath, List<Layer> layers) {
    this.block = block;
    this.parameterStore = new ParameterStore(manager, false);
    this.input = input;
    this.blockInput = blockInput;
    this.output = output;
    this.flatPath = flatPath;
    this.layers = List.copyOf(layers);
  }

  /**
   * Checks the shapes, then builds and initializes the network on {@code manager}.
   *
   * @param manager the model's long-lived manager; parameters live there
   * @param path the list's place in the config, such as {@code network}; layer {@code i} is
   *     {@code path[i]} in messages
   * @param input the shape of one input item: {@code (D)} or {@code (C, H, W)}
   * @param specs the layers, at least one
   * @param required the shape one output item must have (equal, or the same number of values when one of
   *     the two is flat); null for no requirement
   * @param requiredWhat names the requirement in messages, such as {@code "the decoder must output the
   *     data's shape"}
   * @throws LayerShapeException naming the layer, the shape that came in and what was needed
   */
  public static Network build(
      NDManager manager, String path, Shape input, List<LayerSpec> specs, Shape required, String requiredWhat) {
    if (specs == null || specs.isEmpty()) {
      throw new LayerShapeException(path, "a network needs at least one layer");
    }
    if (input.dimension() != 1 && input.dimension() != 3) {
      throw new LayerShapeException(path, "items of shape " + show(input) + " are neither flat nor C×H×W");
    }
    Shape blockInput = input.dimension() == 3 && firstShapedLayerWantsFlat(specs) ? new Shape(input.size()) : input;
    Shape current = blockInput;
    SequentialBlock block = new SequentialBlock();
    List<Layer> rows = new ArrayList<>();
    Shape lastInput = current;
    boolean flatPath = blockInput.dimension() == 1;
    for (int i = 0; i < specs.size(); i++) {
      String at = path + "[" + i + "]";
      LayerSpec spec = specs.get(i);
      if (spec == null) {
        throw new LayerShapeException(at, "an empty layer; give it a type");
      }
      Shape in = current;
      lastInput = in;
      long parameters = 0;
      if (spec instanceof LayerSpec.Linear l) {
        if (in.dimension() > 1) {
          block.add(flatten());
          in = new Shape(in.size());
        }
        checkWeights(at, "linear", in.size(), l.units());
        block.add(init(Linear.builder().setUnits(l.units()).build(), in.size()));
        parameters = in.size() * l.units() + l.units();
        current = new Shape(l.units());
      } else if (spec instanceof LayerSpec.Conv2d c) {
        requireImage(at, spec, in);
        long h = convolved(in.get(1), c.kernel(), c.stride(), c.padding());
        long w = convolved(in.get(2), c.kernel(), c.stride(), c.padding());
        if (h < 1 || w < 1) {
          throw new LayerShapeException(at, "conv2d (kernel " + c.kernel() + ", stride " + c.stride()
              + ", padding " + c.padding() + ") takes " + show(in) + " and shrinks it to nothing (" + h + "×" + w
              + "); use a smaller kernel or stride, or more padding");
        }
        long fanIn = in.get(0) * c.kernel() * c.kernel();
        checkWeights(at, "conv2d", fanIn, c.channels());
        block.add(init(new Conv2d((int) in.get(0), c.channels(), c.kernel(), c.stride(), c.padding()), fanIn));
        parameters = fanIn * c.channels() + c.channels();
        current = new Shape(c.channels(), h, w);
        flatPath = false;
      } else if (spec instanceof LayerSpec.ConvTranspose2d c) {
        requireImage(at, spec, in);
        long h = (in.get(1) - 1) * c.stride() - 2L * c.padding() + c.kernel() + c.outputPadding();
        long w = (in.get(2) - 1) * c.stride() - 2L * c.padding() + c.kernel() + c.outputPadding();
        if (h < 1 || w < 1) {
          throw new LayerShapeException(at, "conv-transpose2d takes " + show(in) + " and gives nothing (" + h
              + "×" + w + "); use less padding");
        }
        long fanIn = (long) c.channels() * c.kernel() * c.kernel(); // PyTorch: weight.size(1)·k², C_out·k²
        checkWeights(at, "conv-transpose2d", in.get(0) * c.kernel() * c.kernel(), c.channels());
        block.add(init(new TransposedConv2d((int) in.get(0), c.channels(), c.kernel(), c.stride(), c.padding(),
            c.outputPadding()), fanIn));
        parameters = in.get(0) * c.kernel() * c.kernel() * c.channels() + c.channels();
        current = new Shape(c.channels(), h, w);
        flatPath = false;
      } else if (spec instanceof LayerSpec.BatchNorm b) {
        block.add(BatchNorm.builder().optAxis(1).optEpsilon(b.epsilon().floatValue()).optMomentum(0.9f).build());
        parameters = 2 * in.get(0);
        flatPath = false;
      } else if (spec instanceof LayerSpec.Dropout d) {
        block.add(Dropout.builder().optRate(d.rate().floatValue()).build());
      } else if (spec instanceof LayerSpec.Activation a) {
        block.add(a.function().block());
      } else if (spec instanceof LayerSpec.Reshape r) {
        Shape to = new Shape(r.shape().stream().mapToLong(Integer::longValue).toArray());
        if (to.size() != in.size()) {
          throw new LayerShapeException(at, "reshape to " + show(to) + " needs " + to.size() + " values, but its"
              + " input " + show(in) + " holds " + in.size());
        }
        block.add(reshape(to));
        current = to;
        flatPath = flatPath && to.dimension() == 1;
      } else if (spec instanceof LayerSpec.Flatten) {
        if (in.dimension() > 1) {
          block.add(flatten());
          current = new Shape(in.size());
        }
      }
      rows.add(new Layer(at, spec.type(), current, parameters));
    }
    if (required != null && !fits(current, required)) {
      Layer last = rows.get(rows.size() - 1);
      throw new LayerShapeException(last.path(), last.type() + " takes " + show(lastInput) + " and gives "
          + show(current) + ", but " + requiredWhat + " " + show(required));
    }
    block.initialize(manager, DataType.FLOAT32, batched(1, blockInput));
    return new Network(block, manager, input, blockInput, current, flatPath, rows);
  }

  private static boolean firstShapedLayerWantsFlat(List<LayerSpec> specs) {
    for (LayerSpec spec : specs) {
      if (spec instanceof LayerSpec.Linear || spec instanceof LayerSpec.Flatten) {
        return true;
      }
      if (!(spec instanceof LayerSpec.Activation || spec instanceof LayerSpec.Dropout)) {
        return false;
      }
    }
    return false;
  }

  private static boolean fits(Shape actual, Shape required) {
    return actual.equals(required)
        || actual.size() == required.size() && (actual.dimension() == 1 || required.dimension() == 1);
  }

  private static long convolved(long size, int kernel, int stride, int padding) {
    return Math.floorDiv(size + 2L * padding - kernel, stride) + 1;
  }

  private static void requireImage(String at, LayerSpec spec, Shape in) {
    if (in.dimension() != 3) {
      throw new LayerShapeException(at, spec.type() + " needs an image (C×H×W), but gets " + show(in)
          + "; put a reshape such as {type: reshape, shape: [C, H, W]} before it");
    }
  }

  /** Fails when the layer's weights, with what training keeps beside them, cannot fit in memory. */
  private static void checkWeights(String at, String type, long fanIn, long units) {
    String problem = MemoryBudget.nativeProblem(type + " (" + fanIn + " → " + units + ") trains " + fanIn + " × "
        + units + " weights × 7 arrays (weight, gradient, Adam's moments, the divergence guard's copies of the three)",
        fanIn, units, 7);
    if (problem != null) {
      throw new LayerShapeException(at, problem + "; use fewer units or channels");
    }
  }

  private static Block init(Block layer, long fanIn) {
    UniformInitializer uniform = new UniformInitializer((float) (1.0 / Math.sqrt(fanIn)));
    layer.setInitializer(uniform, Parameter.Type.WEIGHT);
    layer.setInitializer(uniform, Parameter.Type.BIAS);
    return layer;
  }

  private static Block flatten() {
    return new LambdaBlock(list -> new NDList(list.singletonOrThrow().reshape(-1, itemSize(list.singletonOrThrow()))),
        "flatten");
  }

  private static Block reshape(Shape to) {
    return new LambdaBlock(list -> new NDList(list.singletonOrThrow().reshape(batched(-1, to))), "reshape");
  }

  private static long itemSize(NDArray batch) {
    return batch.getShape().slice(1).size();
  }

  private static Shape batched(long batch, Shape item) {
    return new Shape(batch).addAll(item);
  }

  /** @return {@code layers} followed by a linear layer of {@code units} (an encoder's output heads). */
  public static List<LayerSpec> then(List<LayerSpec> layers, int units) {
    List<LayerSpec> all = new ArrayList<>(layers);
    all.add(new LayerSpec.Linear(units));
    return all;
  }

  /** @return a shape as {@code 64×7×7}. */
  public static String show(Shape shape) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < shape.dimension(); i++) {
      out.append(i == 0 ? "" : "×").append(shape.get(i));
    }
    return out.toString();
  }

  /**
   * Applies the network to items.
   *
   * @param items shape {@code (..., D)} with {@code D} the input's number of values
   * @return shape {@code (..., D_out)}, attached to {@code items}'s manager
   */
  public NDArray forward(NDArray items) {
    boolean training = TrainingMode.isTraining();
    if (flatPath) { // linear layers and activations: the leading axes pass through as they are
      return block.forward(parameterStore, new NDList(items), training).singletonOrThrow();
    }
    Shape lead = items.getShape().slice(0, items.getShape().dimension() - 1);
    NDArray batch = items.reshape(batched(lead.size(), blockInput));
    NDArray out = block.forward(parameterStore, new NDList(batch), training).singletonOrThrow();
    return out.reshape(lead.addAll(new Shape(output.size())));
  }

  /** @return the DJL block holding the parameters. */
  public SequentialBlock block() {
    return block;
  }

  /** @return the shape of one input item. */
  public Shape inputShape() {
    return input;
  }

  /** @return the shape of one output item. */
  public Shape outputShape() {
    return output;
  }

  /** @return every layer with its output shape and parameter count, in order. */
  public List<Layer> layers() {
    return layers;
  }
}
