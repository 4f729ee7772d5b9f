package io.vi4j.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.nn.Mlp;
import io.vi4j.api.kit.nn.Network;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.Support;
import io.vi4j.plugins.decoders.MixedMlpDecoderSpec.ColumnGroup;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code mixed-mlp} decoder: an MLP from the latent to the parameters of a {@link MixedColumns}
 * distribution, one group of columns after another (Gaussian, Bernoulli, categorical, Poisson).
 */
public final class MixedMlpDecoder implements Likelihood {
  private static final Support ANY = new Support(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
      "finite values (every column)");

  private final MixedMlpDecoderSpec spec;
  private final Network network;
  private final ColumnGroup[] groupOf; // by data column

  /**
   * @param manager the model's manager
   * @param latentDimension {@code L}
   * @param dataDimension {@code D}, which the column groups must cover exactly
   * @param spec widths, activation and column groups
   */
  public MixedMlpDecoder(NDManager manager, int latentDimension, int dataDimension, MixedMlpDecoderSpec spec) {
    if (spec.width() != dataDimension) {
      throw new IllegalArgumentException("columns: the groups cover " + spec.width() + " columns, but the data has "
          + dataDimension);
    }
    this.spec = spec;
    int outputs = spec.columns().stream().mapToInt(ColumnGroup::outputs).sum();
    this.network = new Mlp(manager, latentDimension, spec.hidden(), outputs, spec.activation()).network();
    this.groupOf = new ColumnGroup[dataDimension];
    int column = 0;
    for (ColumnGroup group : spec.columns()) {
      for (int i = 0; i < group.count(); i++) {
        groupOf[column++] = group;
      }
    }
  }

  /** @param latent shape {@code (..., L)}; @return the columns' distribution, batch {@code (...)}, event {@code D} */
  @Override
  public Distribution conditional(NDArray latent) {
    return new MixedColumns(network.forward(latent), spec.columns());
  }

  @Override
  public Support support() {
    return ANY;
  }

  /** @return {@code MIXED}: evaluated on the table's values as they are ({@code raw}, nats per row). */
  @Override
  public io.vi4j.api.density.DataKind dataKind() {
    return io.vi4j.api.density.DataKind.MIXED;
  }

  @Override
  public String columnProblem(int column, double value) {
    ColumnGroup group = groupOf[column];
    boolean whole = value == Math.rint(value);
    return switch (group.type()) {
      case GAUSSIAN, STUDENT_T -> null; // any finite real: the support
      case BERNOULLI -> value == 0 || value == 1 ? null : "0 or 1 (a bernoulli column)";
      case CATEGORICAL -> whole && value >= 0 && value < group.levels() ? null
          : "a level code 0.." + (group.levels() - 1) + " (a categorical column)";
      case POISSON -> whole && value >= 0 ? null : "a count 0, 1, 2, ... (a poisson column)";
    };
  }

  @Override
  public Optional<Block> network() {
    return Optional.of(network.block());
  }

  @Override
  public Map<String, Network> networks() {
    return Map.of("network", network);
  }
}
