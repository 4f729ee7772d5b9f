package io.vi4j.api.kit.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.core.engine.Engines;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Networks of layers: shapes computed before allocation, errors naming the layer, PyTorch's init, modes. */
class NetworkTest {
  private static final List<LayerSpec> ENCODER = List.of(
      new LayerSpec.Conv2d(32, 4, 2, 1), new LayerSpec.Activation(ActivationName.RELU),
      new LayerSpec.Conv2d(64, 4, 2, 1), new LayerSpec.Activation(ActivationName.RELU), new LayerSpec.Linear(40));
  private static final List<LayerSpec> DECODER = List.of(
      new LayerSpec.Linear(3136), new LayerSpec.Activation(ActivationName.RELU), new LayerSpec.Reshape(List.of(64, 7, 7)),
      new LayerSpec.ConvTranspose2d(32, 4, 2, 1, 0), new LayerSpec.Activation(ActivationName.RELU),
      new LayerSpec.ConvTranspose2d(1, 4, 2, 1, 0));

  @Test
  void shapesAndParameterCountsAreThoseOfThePyTorchReference() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Network encoder = Network.build(m, "network", new Shape(1, 28, 28), ENCODER, null, null);
      assertThat(encoder.layers()).extracting(l -> Network.show(l.output()))
          .containsExactly("32×14×14", "32×14×14", "64×7×7", "64×7×7", "40");
      assertThat(encoder.layers().stream().mapToLong(Network.Layer::parameters).sum()).isEqualTo(544 + 32_832 + 125_480);
      Network decoder = Network.build(m, "network", new Shape(20), DECODER, new Shape(1, 28, 28), "the decoder");
      assertThat(decoder.layers().stream().mapToLong(Network.Layer::parameters).sum()).isEqualTo(65_856 + 32_800 + 513);
      // Items arrive flat with any leading axes (samples × batch) and leave flat.
      try (NDManager s = m.newSubManager()) {
        NDArray images = s.randomUniform(0f, 1f, new Shape(5, 784));
        assertThat(encoder.forward(images).getShape()).isEqualTo(new Shape(5, 40));
        NDArray latents = s.randomNormal(new Shape(3, 5, 20));
        assertThat(decoder.forward(latents).getShape()).isEqualTo(new Shape(3, 5, 784));
      }
    }
  }

  @Test
  void aNetworkThatDoesNotFitItsDataFailsNamingTheLayerAndBothShapes() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      List<LayerSpec> short27 = new java.util.ArrayList<>(DECODER);
      short27.set(5, new LayerSpec.ConvTranspose2d(1, 3, 2, 1, 0));
      assertThatThrownBy(() -> Network.build(m, "network", new Shape(20), short27, new Shape(1, 28, 28),
          "the decoder must output the data's shape"))
          .isInstanceOf(LayerShapeException.class)
          .hasMessage("network[5]: conv-transpose2d takes 32×14×14 and gives 1×27×27, but the decoder must output"
              + " the data's shape 1×28×28");
      assertThatThrownBy(() -> Network.build(m, "network", new Shape(1, 28, 28),
          List.of(new LayerSpec.Conv2d(8, 4, 2, 1), new LayerSpec.Conv2d(8, 30, 1, 0)), null, null))
          .hasMessageStartingWith("network[1]: conv2d (kernel 30, stride 1, padding 0) takes 8×14×14 and shrinks it"
              + " to nothing");
      assertThatThrownBy(() -> Network.build(m, "network", new Shape(20),
          List.of(new LayerSpec.Linear(100), new LayerSpec.Reshape(List.of(3, 6, 6))), null, null))
          .hasMessage("network[1]: reshape to 3×6×6 needs 108 values, but its input 100 holds 100");
      assertThatThrownBy(() -> Network.build(m, "network", new Shape(20), List.of(new LayerSpec.Conv2d(8, 3, 1, 1)),
          null, null))
          .hasMessageContaining("network[0]: conv2d needs an image (C×H×W), but gets 20; put a reshape");
    }
  }

  @Test
  void initialisationIsPyTorchsDefault() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(3);
      Network decoder = Network.build(m, "network", new Shape(20), DECODER, new Shape(1, 28, 28), "x");
      // fan_in: linear 20; transposed convolutions C_out·k² = 32·16 and 1·16 (PyTorch reads weight.size(1)).
      double[] bounds = {1 / Math.sqrt(20), 1 / Math.sqrt(32 * 16), 1 / Math.sqrt(16)};
      int i = 0;
      for (var p : decoder.block().getParameters()) {
        if (!p.getKey().endsWith("weight")) {
          continue;
        }
        float[] w = p.getValue().getArray().toFloatArray();
        double bound = bounds[i++];
        double sumSquares = 0;
        for (float v : w) {
          assertThat((double) Math.abs(v)).isLessThanOrEqualTo(bound);
          sumSquares += v * v;
        }
        // uniform on ±b has standard deviation b/√3
        assertThat(Math.sqrt(sumSquares / w.length)).as(p.getKey()).isCloseTo(bound / Math.sqrt(3), within(0.05 * bound));
      }
      assertThat(i).isEqualTo(3);
    }
  }

  @Test
  void batchNormAndDropoutFollowTheTrainingMode() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(4);
      Network net = Network.build(m, "network", new Shape(1, 4, 4),
          List.of(new LayerSpec.Conv2d(3, 3, 1, 1), new LayerSpec.BatchNorm(null), new LayerSpec.Dropout(0.5)), null, null);
      var running = net.block().getParameters().stream().filter(p -> p.getKey().contains("runningMean")).findFirst()
          .orElseThrow().getValue().getArray();
      try (NDManager s = m.newSubManager()) {
        NDArray x = s.randomNormal(new Shape(16, 16)).add(s.full(new Shape(), 2f));
        float[] inference = net.forward(x).toFloatArray();
        assertThat(running.toFloatArray()).containsOnly(0f); // inference leaves the running statistics alone
        assertThat(net.forward(x).toFloatArray()).containsExactly(inference); // and drops nothing
        float[] training;
        try (TrainingMode.Scope scope = TrainingMode.training()) {
          training = net.forward(x).toFloatArray();
        }
        long zeros = 0;
        for (float v : training) {
          zeros += v == 0f ? 1 : 0;
        }
        assertThat(zeros).as("dropout at rate 0.5 zeroes about half").isBetween(training.length / 4L, 3L * training.length / 4);
        assertThat(running.toFloatArray()).as("training updates the running mean").doesNotContain(0f);
        assertThat(TrainingMode.isTraining()).isFalse();
      }
    }
  }

  @Test
  void anMlpIsTheNetworkOfItsLayers() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(9);
      Mlp mlp = new Mlp(m, 6, List.of(5, 4), 3, ActivationName.TANH);
      Engines.seed(9);
      Network same = Network.build(m, "network", new Shape(6), Mlp.layers(List.of(5, 4), 3, ActivationName.TANH),
          null, null);
      assertThat(mlp.block().getParameters().keys()).isEqualTo(same.block().getParameters().keys());
      for (int i = 0; i < mlp.block().getParameters().size(); i++) {
        assertThat(mlp.block().getParameters().get(i).getValue().getArray().toFloatArray())
            .containsExactly(same.block().getParameters().get(i).getValue().getArray().toFloatArray());
      }
    }
  }
}
