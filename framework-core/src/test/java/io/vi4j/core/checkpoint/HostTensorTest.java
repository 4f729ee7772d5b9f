package io.vi4j.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.vi4j.core.engine.Engines;
import org.junit.jupiter.api.Test;

class HostTensorTest {

  @Test
  void copyIntoAParameterKeepsItsIdentityAutogradFlagAndGradient() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      NDArray weight = manager.create(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, new Shape(2, 3));
      weight.setRequiresGradient(true);
      float[] saved = {0.5f, -1.25f, Float.MIN_VALUE, 1e30f, -0f, 7f};
      HostTensor host = HostTensor.of(manager.create(saved, new Shape(2, 3)));

      host.copyInto(weight, "parameter 'w'");

      assertThat(weight.toFloatArray()).containsExactly(saved);
      assertThat(Float.floatToRawIntBits(weight.toFloatArray()[4])).isEqualTo(Float.floatToRawIntBits(-0f));
      assertThat(weight.hasGradient()).isTrue();
      // The native tensor's own flag, not DJL's cached copy of it.
      assertThat(JniUtils.requiresGrad((PtNDArray) weight)).isTrue();
      assertThat(weight.getShape()).isEqualTo(new Shape(2, 3));

      // d/dw sum(w * c) = c, and the gradient lands on the very array that was restored.
      float[] c = {1f, 2f, 3f, 4f, 5f, 6f};
      try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
        NDArray loss = weight.mul(manager.create(c, new Shape(2, 3))).sum();
        collector.backward(loss);
      }
      assertThat(weight.getGradient().toFloatArray()).containsExactly(c);
      // The restored values take part in the forward pass: sum(w * w) has gradient 2w, which PyTorch adds to
      // the gradient already there.
      try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
        collector.backward(weight.mul(weight).sum());
      }
      float[] twice = new float[saved.length];
      for (int i = 0; i < saved.length; i++) {
        twice[i] = c[i] + 2 * saved[i];
      }
      assertThat(weight.getGradient().toFloatArray()).containsExactly(twice);
    }
  }

  @Test
  void copyIntoOutlivesTheSourceAndIsIndependentOfIt() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      NDArray target = manager.zeros(new Shape(3), DataType.FLOAT64);
      HostTensor host;
      try (NDManager scratch = manager.newSubManager()) {
        host = HostTensor.of(scratch.create(new double[] {1.5, -2.5, Math.PI}));
      }
      host.copyInto(target, "x");
      host.data()[0] = 0x7f; // the host copy is not aliased by the array
      System.gc();
      assertThat(target.toDoubleArray()).containsExactly(1.5, -2.5, Math.PI);
      target.addi(1.0);
      assertThat(target.toDoubleArray()).containsExactly(2.5, -1.5, Math.PI + 1);
    }
  }

  @Test
  void roundTripsEverySupportedTypeIncludingScalarsAndEmptyArrays() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      NDArray[] arrays = {
        manager.create(new float[] {1f, -2f, Float.NaN, Float.NEGATIVE_INFINITY}, new Shape(2, 2)),
        manager.create(new double[] {Math.E, -0.0}),
        manager.create(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, new Shape(3, 1)),
        manager.create(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}),
        manager.create(3.25f),
        manager.zeros(new Shape(0, 4), DataType.FLOAT32),
      };
      for (NDArray array : arrays) {
        HostTensor host = HostTensor.of(array);
        assertThat(host.dataType()).isEqualTo(array.getDataType());
        assertThat(host.shape()).containsExactly(array.getShape().getShape());
        NDArray back = host.toNDArray(manager);
        assertThat(back.getShape()).isEqualTo(array.getShape());
        assertThat(back.getDataType()).isEqualTo(array.getDataType());
        assertThat(back.toByteArray()).isEqualTo(array.toByteArray());
        assertThat(HostTensor.of(back)).isEqualTo(host).hasSameHashCodeAs(host);
      }
      assertThat(HostTensor.ofLongs(new long[] {3, 1, 2}).toLongs()).containsExactly(3, 1, 2);
    }
  }

  @Test
  void refusesWhatDoesNotFit() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      HostTensor host = HostTensor.of(manager.create(new float[] {1f, 2f}));
      assertThatThrownBy(() -> host.copyInto(manager.zeros(new Shape(3)), "parameter 'w'"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("parameter 'w'")
          .hasMessageContaining("float32 (2)")
          .hasMessageContaining("float32 (3)");
      assertThatThrownBy(() -> host.copyInto(manager.zeros(new Shape(2), DataType.FLOAT64), "w"))
          .hasMessageContaining("float32").hasMessageContaining("float64");
      assertThatThrownBy(() -> new HostTensor(DataType.FLOAT32, new long[] {3}, new byte[8]))
          .hasMessageContaining("needs 12 bytes, got 8");
      assertThatThrownBy(() -> new HostTensor(DataType.INT8, new long[] {1}, new byte[1]))
          .hasMessageContaining("int8");
      assertThatThrownBy(() -> new HostTensor(DataType.FLOAT32, new long[] {-1}, new byte[0]))
          .hasMessageContaining("negative dimension");
      assertThatThrownBy(() -> new HostTensor(DataType.INT64, new long[] {1L << 62}, new byte[0]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> HostTensor.of(manager.create(new float[] {1f})).toLongs())
          .hasMessageContaining("not an int64 vector");
    }
  }
}
