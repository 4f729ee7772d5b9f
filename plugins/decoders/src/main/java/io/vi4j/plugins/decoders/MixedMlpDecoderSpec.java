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
 *     - {type: student-t, df: 4}         # 1 real column with heavy tails
 * }</pre>
 *
 * @param hidden hidden layer widths (default {@code [64]})
 * @param activation hidden nonlinearity (default {@code relu})
 * @param columns the column groups, in order; their columns add up to the data's width; null takes them from the
 *     table the data were read from ({@link #withColumnsOf}), so {@code decoder: {type: mixed-mlp}} suffices
 *     with {@code data: {type: table}}
 * @param continuous for groups taken from a table: the kind of its continuous columns, {@code gaussian}
 *     (default) or {@code student-t} (with 4 degrees of freedom), robust to outlying values
 */
public record MixedMlpDecoderSpec(
    List<Integer> hidden, ActivationName activation, List<ColumnGroup> columns, Kind continuous)
    implements LikelihoodSpec {

  /** A spec whose table columns, if it takes them from a table, are Gaussian when continuous. */
  public MixedMlpDecoderSpec(List<Integer> hidden, ActivationName activation, List<ColumnGroup> columns) {
    this(hidden, activation, columns, null);
  }

  /** What one column's values are. */
  public enum Kind {
    /** Real values: {@code N(μ, σ²)} per column, σ learned per item (floored at {@code min_sigma}). */
    GAUSSIAN,
    /** 0 or 1: Bernoulli on a logit. */
    BERNOULLI,
    /**
     * Real values with heavy tails: a Student-t of {@code df} degrees of freedom, location μ and scale σ learned
     * per item (σ floored at {@code min_sigma}); a few outlying values cost it less than a Gaussian.
     */
    STUDENT_T,
    /** Codes {@code 0..levels−1}: a softmax over the levels. */
    CATEGORICAL,
    /** Counts {@code 0, 1, 2, ...}: Poisson on a log-rate. */
    POISSON;

    /** @return the config spelling. */
    @JsonValue
    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a config spelling. */
    @JsonCreator
    public static Kind parse(String text) {
      for (Kind k : values()) {
        if (k.configName().equals(text)) {
          return k;
        }
      }
      throw new IllegalArgumentException("a column's type must be gaussian, student-t, bernoulli, categorical or"
          + " poisson, got '"
          + text + "'");
    }
  }

  /**
   * {@code count} consecutive columns of one kind.
   *
   * @param type the kind
   * @param count how many columns (default 1)
   * @param levels for {@code categorical}: how many levels (at least 2)
   * @param minSigma for {@code gaussian} and {@code student-t}: the floor on σ (default 0.001)
   * @param df for {@code student-t}: the degrees of freedom, more than 1 so that the mean exists (default 4)
   */
  public record ColumnGroup(Kind type, Integer count, Integer levels, Double minSigma, Double df) {

    /** A group of any kind but {@code student-t} (whose degrees of freedom then take their default). */
    public ColumnGroup(Kind type, Integer count, Integer levels, Double minSigma) {
      this(type, count, levels, minSigma, null);
    }

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
      if (type == Kind.GAUSSIAN || type == Kind.STUDENT_T) {
        minSigma = Checks.positive("min_sigma", minSigma, 1e-3);
      } else if (minSigma != null) {
        throw new IllegalArgumentException("min_sigma is used only by gaussian and student-t columns, not "
            + type.configName());
      }
      if (type == Kind.STUDENT_T) {
        df = df == null ? 4.0 : df;
        if (!(df > 1 && Double.isFinite(df))) {
          throw new IllegalArgumentException("df: " + df + " degrees of freedom; a student-t column needs more than"
              + " 1 (its mean exists then), such as 4");
        }
      } else if (df != null) {
        throw new IllegalArgumentException("df is used only by student-t columns, not " + type.configName());
      }
    }

    /** @return the network outputs the group needs. */
    int outputs() {
      return switch (type) {
        case GAUSSIAN, STUDENT_T -> 2 * count;
        case CATEGORICAL -> count * levels;
        default -> count;
      };
    }
  }

  /** Fills defaults and validates. */
  public MixedMlpDecoderSpec {
    hidden = Checks.widths("hidden", hidden, List.of(64));
    activation = activation == null ? ActivationName.RELU : activation;
    if (continuous != null && continuous != Kind.GAUSSIAN && continuous != Kind.STUDENT_T) {
      throw new IllegalArgumentException("continuous: a table's continuous columns are gaussian or student-t, not "
          + continuous.configName());
    }
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
   *     continuous column is {@code gaussian} (or {@code student-t}, as {@link #continuous} says), a binary one {@code bernoulli}, a categorical one {@code
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
        case CONTINUOUS -> continuous == null ? Kind.GAUSSIAN : continuous;
        case BINARY -> Kind.BERNOULLI;
        case CATEGORICAL -> Kind.CATEGORICAL;
        case COUNT -> Kind.POISSON;
      };
      Integer levels = kind == Kind.CATEGORICAL ? column.levels().size() : null;
      ColumnGroup last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
      if (last != null && last.type() == kind && java.util.Objects.equals(last.levels(), levels)) {
        groups.set(groups.size() - 1, new ColumnGroup(kind, last.count() + 1, levels, last.minSigma(), last.df()));
      } else {
        groups.add(new ColumnGroup(kind, 1, levels, null, null));
      }
    }
    return new MixedMlpDecoderSpec(hidden, activation, groups, continuous);
  }
}
