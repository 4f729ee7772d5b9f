package io.vi4j.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableTest {

    @TempDir
    Path dir;

    private static Table example() {
        return Table.builder("estimator", "variance", "steps")
                .row("score function, plain", 31234.5, 1000)
                .row("reparam. \"RT\"", 0.5, 20)
                .row("IWAE | k=5", 1.2e-6, null)
                .build();
    }

    @Test
    void markdownAlignsPipesAndFormatsNumbers() {
        assertThat(example().toMarkdown()).isEqualTo(""
                + "| estimator             |  variance | steps |\n"
                + "| --------------------- | --------: | ----: |\n"
                + "| score function, plain |     31230 |  1000 |\n"
                + "| reparam. \"RT\"         |    0.5000 |    20 |\n"
                + "| IWAE \\| k=5           | 1.200e-06 |       |\n");
    }

    @Test
    void csvQuotesPerRfc4180AndKeepsFullPrecision() {
        assertThat(example().toCsv()).isEqualTo(""
                + "estimator,variance,steps\r\n"
                + "\"score function, plain\",31234.5,1000\r\n"
                + "\"reparam. \"\"RT\"\"\",0.5,20\r\n"
                + "IWAE | k=5,1.2E-6,\r\n");
    }

    @Test
    void numberFormats() {
        Table sig3 = Table.builder("x").significantDigits(3).build();
        assertThat(sig3.format(0.0)).isEqualTo("0");
        assertThat(sig3.format(2.0)).isEqualTo("2.00");
        assertThat(sig3.format(-0.012345)).isEqualTo("-0.0123");
        assertThat(sig3.format(0.125)).isEqualTo("0.125");
        assertThat(sig3.format(0.00125)).isEqualTo("0.00125");
        assertThat(sig3.format(999999.0)).isEqualTo("1.00e+06");
        assertThat(sig3.format(123456.0)).isEqualTo("123000");
        assertThat(sig3.format(Double.NaN)).isEqualTo("NaN");
        assertThat(sig3.format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(sig3.format(123456789L)).isEqualTo("123456789");
        Table dec2 = Table.builder("x").decimals(2).build();
        assertThat(dec2.format(3.14159)).isEqualTo("3.14");
        assertThat(dec2.format(1200)).isEqualTo("1200");
        assertThat(dec2.format(1200.0)).isEqualTo("1200.00");
        assertThat(dec2.format(-0.001)).isEqualTo("0.00");
        assertThat(dec2.format(new BigDecimal("2.345"))).isEqualTo("2.35");
        assertThat(dec2.format(Float.POSITIVE_INFINITY)).isEqualTo("inf");
    }

    @Test
    void writesFilesAtomicallyAsUtf8() throws IOException {
        Table t = Table.builder("name", "σ").row("α,β", 1.5).build();
        Path md = dir.resolve("out/table.md");
        Path csv = dir.resolve("out/table.csv");
        t.writeMarkdown(md);
        t.writeCsv(csv);
        assertThat(Files.readString(md, StandardCharsets.UTF_8)).isEqualTo(t.toMarkdown()).contains("|     σ |").contains("| α,β  | 1.500 |");
        assertThat(Files.readString(csv, StandardCharsets.UTF_8)).isEqualTo("name,σ\r\n\"α,β\",1.5\r\n");
        try (var files = Files.list(dir.resolve("out"))) {
            assertThat(files).containsExactlyInAnyOrder(md, csv);
        }
    }

    @Test
    void rejectsBadRows() {
        assertThatThrownBy(() -> Table.builder("a", "b").row("x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 cells").hasMessageContaining("2 columns");
        assertThatThrownBy(() -> Table.builder("a").row(new Object()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("String, Number or null");
        assertThatThrownBy(() -> Table.builder()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Table.builder("a").significantDigits(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
