package io.vi4j.core.model;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.testing.TinyMlpModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameter files that pass their checksum but do not hold the model the config builds are refused. */
class AssembledModelTest {

  private static AssembledModel model(int hidden, long seed) {
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(seed);
    return new AssembledModel(TinyMlpModel.build(manager, 12, 2, hidden), manager);
  }

  @Test
  void aRoundTripRestoresEveryValue(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("parameters.bin");
    try (AssembledModel saved = model(8, 1); AssembledModel loaded = model(8, 2)) {
      saved.save(file);
      loaded.load(file);
      saved.model().parameters().forEach(p -> assertThat(
          loaded.model().parameters().get(p.getKey()).getArray().toFloatArray())
          .containsExactly(p.getValue().getArray().toFloatArray()));
    }
  }

  @Test
  void parametersOfAnotherArchitectureAreRefusedNamingTheParameterAndBothShapes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("parameters.bin");
    try (AssembledModel wider = model(16, 1); AssembledModel built = model(8, 2)) {
      wider.save(file); // a valid file, CRC and all, of a model with 16 hidden units
      assertThatThrownBy(() -> built.load(file))
          .hasMessageStartingWith(file + ": parameter '")
          .hasMessageContaining("(16, 12) in the file, the model built from the config has (8, 12)")
          .hasMessageContaining("written by another model");
    }
  }

  @Test
  void nonFiniteParametersAreRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("parameters.bin");
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      try (AssembledModel diverged = model(8, 1); AssembledModel built = model(8, 2)) {
        var first = diverged.model().parameters().get(0);
        NDArray weight = first.getValue().getArray();
        try (NDManager scratch = weight.getManager().newSubManager()) {
          NDArray value = scratch.full(new ai.djl.ndarray.types.Shape(), bad);
          weight.set(new NDIndex("0, 1"), value);
        }
        diverged.save(file);
        assertThatThrownBy(() -> built.load(file))
            .hasMessage(file + ": parameter '" + first.getKey() + "' holds 1 non-finite values (NaN or infinite);"
                + " these are not the parameters of a trained model");
      }
    }
  }
}
