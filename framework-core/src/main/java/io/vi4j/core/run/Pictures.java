package io.vi4j.core.run;

import io.vi4j.core.model.AssembledModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.report.Captions;
import io.vi4j.core.report.ImageGrid;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** PNG grids a person can look at: prior samples, and test items beside their reconstructions. */
public final class Pictures {
  private Pictures() {}

  /**
   * Decodes {@code count} latents drawn from the prior and writes their decoder means (a sample when the
   * likelihood has no closed-form mean) as a grid.
   *
   * @param itemShape {@code {height, width}}
   */
  public static void priorSamples(AssembledModel model, int count, int[] itemShape, Path file) throws IOException {
    float[] images = io.vi4j.core.uses.Generation.priorSamples(model, count, false);
    ImageGrid grid = grid();
    Captions.of("Prior samples: decoder means at t ~ p(t)")
        .save(file, grid, grid.render(images, count, itemShape[0], itemShape[1]), itemShape[0], itemShape[1]);
  }

  /**
   * Writes the first {@code count} test items, each with the decoder mean at its posterior mean
   * directly beneath it (for a model without an encoder, at the posterior fitted for each item first).
   */
  public static void reconstructions(AssembledModel model, Dataset data, int count, Path file) throws IOException {
    LatentVariableModel parts = model.model();
    int n = Math.min(count, data.rows());
    int[] shape = data.itemShape();
    try (NDManager manager = model.manager().newSubManager();
        io.vi4j.core.eval.FittedPosteriors posteriors = io.vi4j.core.eval.FittedPosteriors.fit(model, data, n, n);
        var bound = posteriors.bind(0, n, manager)) {
      NDArray batch = Evaluator.rows(manager, data, 0, n);
      Distribution posterior = parts.encoder().posterior(batch);
      NDArray latent = posterior.mean().orElseGet(() -> posterior.sample(1).squeeze(0));
      float[] reconstructions = meanOrSample(parts.decoder().conditional(latent)).toFloatArray();
      float[] originals = batch.toFloatArray();
      ImageGrid grid = grid();
      List<String> rows = new ArrayList<>();
      for (int r = 0; r < (n + grid.columns() - 1) / grid.columns(); r++) {
        rows.add("test items");
        rows.add("reconstructed");
      }
      Captions.of("Test items above their reconstructions (decoder mean at the posterior mean)").rows(rows)
          .save(file, grid, grid.renderPairs(originals, reconstructions, n, shape[0], shape[1]), shape[0], shape[1]);
    }
  }

  private static NDArray meanOrSample(Distribution distribution) {
    return distribution.mean().orElseGet(() -> distribution.sample(1).squeeze(0));
  }

  private static ImageGrid grid() {
    return ImageGrid.builder().columns(10).scale(2).build();
  }
}
