package io.vi4j.plugins.decoders;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.plugin.LikelihoodSpec;
import java.util.List;
import java.util.Locale;

/**
 * Config of the {@code mixed-mlp} decoder, for tables whose columns are of different kinds: an MLP from the
 * latent to the parameters of every column group, in the data's column order.
 *
 * <pre>{@code
 * decoder:
 *   type: mixed-mlp
 *   hidden: [64]
 *   columns:
 *     - {type: gaussian, count: 3}       # 3 continuous columns
 *     - {type: bernoulli, count: 2}      # 2 columns of 0/1
 *     - {type: categorical, levels: 4}   # 1 column of codes 0..3
 *     - {type: poisson}                  # 1 column of counts 0, 1, 2, ...
 * }</pre>
 *
 * @param hidden hidden layer widths (default {@code [64]})
 * @param activation hidden nonlinearity (default {@code relu})
 * @param columns the column groups, in order; their columns add up to the data's width; null takes them from the
 *     table the data were read from ({@link #withColumnsOf}), so {@code decoder: {type: mixed-mlp}} suffices
 *     with {@code data: {type: table}}
 */
public record MixedMlpDecoderSpec(List<Integer> hidden, ActivationName activation, List<ColumnGroup> columns)
    implements LikelihoodSpec {

  /** What one column's values are. */
  public enum Kind {
    /** Real values: {@code N(μ, σ²)} per column, σ learned per item (floored at {@code min_sigma}). */
    GAUSSIAN,
    /** 0 or 1: Bernoulli on a logit. */
    BERNOULLI,
    /** Codes {@code 0..levels−1}: a softmax over the levels. */
    CATEGORICAL,
    /** Counts {@code 0, 1, 2, ...}: Poisson on a log-rate. */
    POISSON;

    /** @return the config spelling. */
    @JsonValue
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config spelling. */
    @JsonCreator
    public static Kind parse(String text) {
      for (Kind k : values()) {
        if (k.configName().equals(text)) {
          return k;
        }
      }
      throw new IllegalArgumentException("a column's type must be gaussian, bernoulli, categorical or poisson, got '"
          + text + "'");
    }
  }

  /**
   * {@code count} consecutive columns of one kind.
   *
   * @param type the kind
   * @param count how many columns (default 1)
   * @param levels for {@code categorical}: how many levels (at least 2)
   * @param minSigma for {@code gaussian}: the floor on σ (default 0.001)
   */
  public record ColumnGroup(Kind type, Integer count, Integer levels, Double minSigma) {
    /** Fills defaults and validates. */
    public ColumnGroup {
      if (type == null) {
        throw new IllegalArgumentException("a column group needs a type (gaussian, bernoulli, categorical or poisson)");
      }
      count = Checks.atLeast("count", count, 1, 1);
      if (type == Kind.CATEGORICAL) {
        levels = Checks.atLeast("levels", levels, 0, 2);
      } else if (levels != null) {
        throw new IllegalArgumentException("levels is used only by categorical columns, not " + type.configName());
      }
      if (type == Kind.GAUSSIAN) {
        minSigma = Checks.positive("min_sigma", minSigma, 1e-3);
      } else if (minSigma != null) {
        throw new IllegalArgumentException("min_sigma is used only by gaussian columns, not " + type.configName());
      }
    }

    /** @return the network outputs the group needs. */
    int outputs() {
      return switch (type) {
        case GAUSSIAN -> 2 * count;
        case CATEGORICAL -> count * levels;
        default -> count;
      };
    }
  }

  /** Fills defaults and validates. */
  public MixedMlpDecoderSpec {
    hidden = Checks.widths("hidden", hidden, List.of(64));
    activation = activation == null ? ActivationName.RELU : activation;
    if (columns != null) {
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("columns is empty: give the column groups in the data's order, such as"
            + " [{type: gaussian, count: 3}, {type: categorical, levels: 4}], or leave it out to take them from a"
            + " table source's columns");
      }
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i) == null) {
          throw new IllegalArgumentException("columns[" + i + "] is empty; give it a type");
        }
      }
      columns = List.copyOf(columns);
    }
  }

  /** @return the data columns the groups cover (0 when the groups are to come from the table). */
  public int width() {
    return columns == null ? 0 : columns.stream().mapToInt(ColumnGroup::count).sum();
  }

  /**
   * @return this spec with its column groups taken from {@code table}'s columns when it lists none: a
   *     continuous column is {@code gaussian}, a binary one {@code bernoulli}, a categorical one {@code
   *     categorical} with its levels, a count {@code poisson}; neighbours alike form one group
   * @throws IllegalArgumentException when the spec lists no groups and the data are not a table
   */
  public MixedMlpDecoderSpec withColumnsOf(io.vi4j.api.data.TableSchema table) {
    if (columns != null) {
      return this;
    }
    if (table == null) {
      throw new IllegalArgumentException("columns: give the column groups in the data's order, such as"
          + " [{type: gaussian, count: 3}, {type: categorical, levels: 4}], or read the data with a table source"
          + " (data: {type: table, ...}), whose columns the decoder then takes");
    }
    java.util.List<ColumnGroup> groups = new java.util.ArrayList<>();
    for (io.vi4j.api.data.TableColumn column : table.columns()) {
      Kind kind = switch (column.kind()) {
        case CONTINUOUS -> Kind.GAUSSIAN;
        case BINARY -> Kind.BERNOULLI;
        case CATEGORICAL -> Kind.CATEGORICAL;
        case COUNT -> Kind.POISSON;
      };
      Integer levels = kind == Kind.CATEGORICAL ? column.levels().size() : null;
      ColumnGroup last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
      if (last != null && last.type() == kind && java.util.Objects.equals(last.levels(), levels)) {
        groups.set(groups.size() - 1, new ColumnGroup(kind, last.count() + 1, levels, last.minSigma()));
      } else {
        groups.add(new ColumnGroup(kind, 1, levels, null));
      }
    }
    return new MixedMlpDecoderSpec(hidden, activation, groups);
  }
}
