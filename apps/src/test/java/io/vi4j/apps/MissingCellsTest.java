package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.data.TableColumn;
import io.vi4j.api.data.TableColumn.Kind;
import io.vi4j.api.data.TableSchema;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.core.Vi4j;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.model.MissingCells;
import io.vi4j.core.run.TrainedModel;
import io.vi4j.core.uses.TableImputation;
import io.vi4j.plugins.decoders.MixedMlpDecoderSpec;
import io.vi4j.plugins.decoders.MixedMlpDecoderSpec.ColumnGroup;
import io.vi4j.plugins.encoders.GaussianMlpEncoderSpec;
import io.vi4j.plugins.estimators.IwaeGradient;
import io.vi4j.plugins.estimators.IwaeSpec;
import io.vi4j.plugins.priors.StandardNormalPriorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training on a table with missing cells (MIWAE: the importance-weighted bound of the observed cells, the
 * encoder fed zeros and the mask) and importance-weighted imputation, on a generated table whose cells are
 * driven by two factors: six continuous columns, a binary and a three-level categorical column.
 */
class MissingCellsTest {
  private static final int D = 8;
  private static final TableSchema TABLE = schema();

  @Test
  void trainedOnAnIncompleteTableItRecoversHiddenCellsBetterThanColumnMeans() {
    Random random = new Random(7);
    Dataset train = table("train", 3000, 0.25, random);
    Dataset test = table("test", 600, 0.25, random);
    assertThat(train.hasMissing()).isTrue();
    try (TrainedModel vae = Vi4j.vae()
        .latentDim(2)
        .prior(new StandardNormalPriorSpec())
        .encoder(new GaussianMlpEncoderSpec(List.of(64), ActivationName.RELU))
        .decoder(new MixedMlpDecoderSpec(List.of(64), ActivationName.RELU, List.of(
            new ColumnGroup(MixedMlpDecoderSpec.Kind.GAUSSIAN, 6, null, 0.05),
            new ColumnGroup(MixedMlpDecoderSpec.Kind.BERNOULLI, 1, null, null),
            new ColumnGroup(MixedMlpDecoderSpec.Kind.CATEGORICAL, 1, 3, null))))
        .estimator(new IwaeSpec(5, IwaeGradient.STANDARD))
        .epochs(40).batchSize(100).learningRate(3e-3)
        .seed(11)
        .train(new DataSplits(train, test, Binarization.NONE))) {
      double elbo = vae.testNegativeElbo().negativeElbo();
      assertThat(elbo).as("test -ELBO of the observed cells").isFinite();

      boolean[] hidden = TableImputation.hide(test, 0.2, 3);
      float[] masked = TableImputation.withHidden(test, hidden);
      Engines.seed(5);
      float[] byModel = TableImputation.importanceWeighted(vae.model(), masked, test.rows(), TABLE, 200, 100);
      float[] byMeans = TableImputation.columnMeans(masked, train);
      TableImputation.Errors model = TableImputation.errors(byModel, test.values(), hidden, TABLE);
      TableImputation.Errors means = TableImputation.errors(byMeans, test.values(), hidden, TABLE);
      assertThat(model.continuousCells()).isGreaterThan(300);
      assertThat(model.discreteCells()).isGreaterThan(80);
      // The continuous columns share two factors: the cells a row still has predict its hidden ones.
      assertThat(model.continuousRmse()).as("RMSE model %s vs means %s", model, means)
          .isLessThan(0.75 * means.continuousRmse());
      assertThat(model.accuracy()).as("accuracy model %s vs modes %s", model, means)
          .isGreaterThan(means.accuracy() + 0.1);
      for (int i = 0; i < byModel.length; i++) {
        if (!Float.isNaN(masked[i])) {
          assertThat(byModel[i]).isEqualTo(masked[i]); // observed cells are kept as they are
        }
      }
    }
  }

  @Test
  void theLikelihoodOfAnItemWithMissingCellsIsTheSumOverItsObservedCells() {
    Random random = new Random(1);
    Dataset train = table("train", 200, 0.0, random);
    try (TrainedModel vae = Vi4j.vae()
        .latentDim(2)
        .prior(new StandardNormalPriorSpec())
        .encoder(new GaussianMlpEncoderSpec(List.of(16), ActivationName.RELU))
        .decoder(new MixedMlpDecoderSpec(List.of(16), ActivationName.RELU, List.of(
            new ColumnGroup(MixedMlpDecoderSpec.Kind.GAUSSIAN, 6, null, 0.05),
            new ColumnGroup(MixedMlpDecoderSpec.Kind.BERNOULLI, 1, null, null),
            new ColumnGroup(MixedMlpDecoderSpec.Kind.CATEGORICAL, 1, 3, null))))
        .estimator(new IwaeSpec(2, IwaeGradient.STANDARD))
        .epochs(1).batchSize(50)
        .train(new DataSplits(train, train, Binarization.NONE));
        NDManager manager = vae.model().manager().newSubManager()) {
      LatentVariableModel parts = vae.model().model();
      assertThat(MissingCells.scoresObservedCells(parts.decoder())).as("a table's model is built for missing cells")
          .isTrue();
      float[] row = train.row(0);
      float[] holed = row.clone();
      holed[1] = Float.NaN;
      holed[6] = Float.NaN;
      NDArray latent = manager.randomNormal(new Shape(3, 1, 2));
      var conditional = parts.decoder().conditional(latent);
      float[] perCell = conditional.logProbPerCoordinate(manager.create(row, new Shape(1, D))).toFloatArray();
      float[] complete = conditional.logProb(manager.create(row, new Shape(1, D))).toFloatArray();
      float[] partial = conditional.logProb(manager.create(holed, new Shape(1, D))).toFloatArray();
      for (int k = 0; k < 3; k++) {
        double sum = 0;
        double observed = 0;
        for (int j = 0; j < D; j++) {
          sum += perCell[k * D + j];
          observed += j == 1 || j == 6 ? 0 : perCell[k * D + j];
        }
        assertThat((double) complete[k]).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-4 * (1 + Math.abs(sum))));
        assertThat((double) partial[k]).isCloseTo(observed,
            org.assertj.core.data.Offset.offset(1e-4 * (1 + Math.abs(observed))));
      }
      // The encoder sees the mask: hiding a cell moves the posterior, and NaN never reaches it.
      float[] q = parts.encoder().posterior(manager.create(holed, new Shape(1, D))).sample(1).toFloatArray();
      for (float v : q) {
        assertThat(v).isFinite();
      }
    }
  }

  private static TableSchema schema() {
    List<TableColumn> columns = new ArrayList<>();
    for (int j = 0; j < 6; j++) {
      columns.add(new TableColumn("x" + j, Kind.CONTINUOUS, null, 0, 1));
    }
    columns.add(new TableColumn("flag", Kind.BINARY, List.of("no", "yes"), 0, 1));
    columns.add(new TableColumn("group", Kind.CATEGORICAL, List.of("a", "b", "c"), 0, 1));
    return new TableSchema(columns, null, null, null);
  }

  /**
   * Rows driven by two standard normal factors: x_j = a_j·z + 0.3 ε (six columns), flag = [z₁ + 0.3 ε > 0],
   * group = the tercile of z₂ + 0.3 ε; each cell missing with probability {@code missing}, never a whole row.
   */
  private static Dataset table(String name, int rows, double missing, Random random) {
    double[][] loadings = {{1, 0}, {0.8, 0.6}, {0, 1}, {-0.7, 0.7}, {0.9, -0.4}, {0.3, 0.95}};
    float[] values = new float[rows * D];
    for (int i = 0; i < rows; i++) {
      double z1 = random.nextGaussian();
      double z2 = random.nextGaussian();
      for (int j = 0; j < 6; j++) {
        values[i * D + j] = (float) (loadings[j][0] * z1 + loadings[j][1] * z2 + 0.3 * random.nextGaussian());
      }
      values[i * D + 6] = z1 + 0.3 * random.nextGaussian() > 0 ? 1 : 0;
      double g = z2 + 0.3 * random.nextGaussian();
      values[i * D + 7] = g < -0.45 ? 0 : g < 0.45 ? 1 : 2;
      int kept = D;
      for (int j = 0; j < D; j++) {
        if (kept > 1 && random.nextDouble() < missing) {
          values[i * D + j] = Float.NaN;
          kept--;
        }
      }
    }
    return new Dataset(name, values, rows, D, null, null, TABLE, null);
  }
}
