package io.vi4j.plugins.decoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.data.TableColumn;
import io.vi4j.api.data.TableColumn.Kind;
import io.vi4j.api.data.TableSchema;
import io.vi4j.plugins.decoders.MixedMlpDecoderSpec.ColumnGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without a columns list, mixed-mlp takes its groups from the table the data were read from. */
class MixedMlpFromTableTest {

  private static TableColumn column(String name, Kind kind, List<String> levels) {
    return new TableColumn(name, kind, levels, 0, 1);
  }

  @Test
  void groupsFollowTheTablesColumnsNeighboursAlikeJoined() {
    TableSchema table = new TableSchema(List.of(
        column("a", Kind.CONTINUOUS, null), column("b", Kind.CONTINUOUS, null),
        column("c", Kind.BINARY, List.of("n", "y")),
        column("d", Kind.CATEGORICAL, List.of("x", "y", "z")), column("e", Kind.CATEGORICAL, List.of("p", "q", "r")),
        column("f", Kind.CATEGORICAL, List.of("p", "q")),
        column("g", Kind.COUNT, null), column("h", Kind.CONTINUOUS, null)), null, null, null);
    MixedMlpDecoderSpec spec = new MixedMlpDecoderSpec(List.of(8), null, null).withColumnsOf(table);
    assertThat(spec.columns()).containsExactly(
        new ColumnGroup(MixedMlpDecoderSpec.Kind.GAUSSIAN, 2, null, null),
        new ColumnGroup(MixedMlpDecoderSpec.Kind.BERNOULLI, 1, null, null),
        new ColumnGroup(MixedMlpDecoderSpec.Kind.CATEGORICAL, 2, 3, null),
        new ColumnGroup(MixedMlpDecoderSpec.Kind.CATEGORICAL, 1, 2, null),
        new ColumnGroup(MixedMlpDecoderSpec.Kind.POISSON, 1, null, null),
        new ColumnGroup(MixedMlpDecoderSpec.Kind.GAUSSIAN, 1, null, null));
    assertThat(spec.width()).isEqualTo(8);
    MixedMlpDecoderSpec robust = new MixedMlpDecoderSpec(List.of(8), null, null, MixedMlpDecoderSpec.Kind.STUDENT_T)
        .withColumnsOf(table);
    assertThat(robust.columns().get(0)).isEqualTo(new ColumnGroup(MixedMlpDecoderSpec.Kind.STUDENT_T, 2, null, null));
    assertThat(robust.columns().get(0).df()).isEqualTo(4.0);
    assertThat(robust.columns().get(5).type()).isEqualTo(MixedMlpDecoderSpec.Kind.STUDENT_T);
  }

  @Test
  void givenColumnsWinAndNeitherIsAnError() {
    MixedMlpDecoderSpec given = new MixedMlpDecoderSpec(null, null,
        List.of(new ColumnGroup(MixedMlpDecoderSpec.Kind.POISSON, 2, null, null)));
    assertThat(given.withColumnsOf(null)).isSameAs(given);
    assertThatThrownBy(() -> new MixedMlpDecoderSpec(null, null, null).withColumnsOf(null))
        .hasMessageContaining("columns: give the column groups").hasMessageContaining("type: table");
  }
}
