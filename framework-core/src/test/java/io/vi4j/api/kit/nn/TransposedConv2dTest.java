package io.vi4j.api.kit.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.vi4j.core.engine.Engines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The transposed convolution is the adjoint of the convolution with the same weight, stride and
 * padding: {@code ⟨T(x), g⟩ = ⟨x, conv(g)⟩} for every {@code x} and {@code g} — the defining property of
 * PyTorch's {@code ConvTranspose2d} (bias off here) — checked for kernels that the stride divides and
 * that it does not, with padding and output padding.
 */
class TransposedConv2dTest {

  @ParameterizedTest
  @CsvSource({
    // in, out, kernel, stride, padding, output padding, height, width
    "3, 2, 4, 2, 1, 0, 7, 7",
    "2, 3, 3, 2, 1, 1, 5, 6",
    "1, 1, 5, 3, 2, 2, 4, 4",
    "4, 2, 3, 1, 1, 0, 6, 5",
    "2, 2, 2, 2, 0, 0, 3, 3",
  })
  void itIsTheAdjointOfTheConvolution(int in, int out, int k, int s, int p, int op, int h, int w) {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      Engines.seed(h * 31 + w);
      TransposedConv2d block = new TransposedConv2d(in, out, k, s, p, op);
      block.initialize(manager, DataType.FLOAT32, new Shape(2, in, h, w));
      NDArray weight = block.getParameters().get("weight").getArray();
      NDArray bias = block.getParameters().get("bias").getArray();
      bias.set(new ai.djl.ndarray.index.NDIndex("..."), manager.zeros(bias.getShape()));
      NDArray x = manager.randomNormal(new Shape(2, in, h, w)).toType(DataType.FLOAT64, false);
      NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x.toType(DataType.FLOAT32, false)), false)
          .singletonOrThrow();
      long ho = (h - 1) * s - 2 * p + k + op;
      long wo = (w - 1) * s - 2 * p + k + op;
      assertThat(y.getShape()).isEqualTo(new Shape(2, out, ho, wo));
      NDArray g = manager.randomNormal(new Shape(2, out, ho, wo));
      // conv2d with the same weight read as (C_out of the conv = in, C_in of the conv = out, k, k)
      NDArray back = g.getNDArrayInternal().convolution(g, weight, null, new Shape(s, s), new Shape(p, p),
          new Shape(1, 1), 1).singletonOrThrow();
      // The convolution may not reach the last output_padding rows; it covers (ho + 2p − k)/s + 1 ≥ h rows.
      NDArray backCropped = back.get(":, :, 0:" + h + ", 0:" + w);
      double left = y.toType(DataType.FLOAT64, false).mul(g.toType(DataType.FLOAT64, false)).sum().getDouble();
      double right = x.mul(backCropped.toType(DataType.FLOAT64, false)).sum().getDouble();
      assertThat(left).isCloseTo(right, within(1e-4 * (1 + Math.abs(right))));
    }
  }
}
