package io.vi4j.apps.bench;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.core.Vi4j;
import io.vi4j.core.data.SpritesDataset;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.core.run.TrainedModel;
import io.vi4j.core.train.TrainingListener;
import io.vi4j.plugins.decoders.BernoulliMlpDecoderSpec;
import io.vi4j.plugins.encoders.GaussianMlpEncoderSpec;
import io.vi4j.plugins.estimators.ReparameterizationSpec;
import io.vi4j.plugins.priors.StandardNormalPriorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains a small VAE for many steps (default 100,000) and prints the process's resident memory and the
 * model manager's live-array count at intervals: with one native-memory scope per step both stay flat.
 * <pre>{@code java -cp ... io.vi4j.apps.bench.MemorySoak [STEPS] [EVERY] [SHARDS]}</pre>
 * SHARDS is {@code training.shards} (0, the default, chooses: batch 16 keeps its steps whole; 2 cuts each
 * step into two slices computed side by side, which soaks the sliced path's threads and managers).
 */
public final class MemorySoak {
  private MemorySoak() {}

  public static void main(String[] args) throws Exception {
    long steps = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
    long every = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
    int shards = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    int batch = 16;
    int items = 4096; // 256 steps per epoch: enough data that 100,000 steps do not overfit to divergence
    int epochs = (int) Math.ceil(steps / (items / (double) batch));
    DataSplits data = new DataSplits(SpritesDataset.train(items, 1).dataset(),
        SpritesDataset.test(256, 1).dataset(), Binarization.DYNAMIC);
    long start = System.nanoTime();
    long[] done = {0};
    System.out.printf("%10s %10s %12s %10s%n", "step", "seconds", "RSS MiB", "heap MiB");
    TrainingListener probe = new TrainingListener() {
      @Override
      public void stepDone(int epoch, int step, double running) {
        done[0]++;
        if (done[0] % every == 0) {
          System.gc();
          Runtime r = Runtime.getRuntime();
          System.out.printf("%10d %10.1f %12.1f %10.1f%n", done[0], (System.nanoTime() - start) / 1e9,
              residentKb() / 1024.0, (r.totalMemory() - r.freeMemory()) / 1048576.0);
        }
      }
    };
    try (TrainedModel vae = Vi4j.vae()
        .latentDim(4)
        .prior(new StandardNormalPriorSpec())
        .encoder(new GaussianMlpEncoderSpec(List.of(64), ActivationName.RELU))
        .decoder(new BernoulliMlpDecoderSpec(List.of(64), ActivationName.RELU))
        .estimator(new ReparameterizationSpec(1))
        .epochs(epochs).batchSize(batch).learningRate(1e-3).shards(shards)
        .listener(probe)
        .train(data)) {
      System.out.printf("trained %d steps in %.1f s; live arrays on the model's manager at the end: %d%n",
          done[0], (System.nanoTime() - start) / 1e9, vae.model().manager().getManagedArrays().size());
    }
  }

  private static long residentKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
