package io.vi4j.core.report;

import io.vi4j.core.io.AtomicFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small table of results (named columns, rows of {@link String} or {@link Number} cells) that renders
 * to Markdown for people and to CSV for programs.
 *
 * <h2>Markdown</h2>
 *
 * {@link #toMarkdown()} writes a GitHub-flavoured pipe table whose pipes line up: every cell is padded to
 * its column's width (at least 3, counted in Unicode code points). A column whose non-empty cells are all
 * numbers is right-aligned ({@code ---:}), others are left-aligned ({@code ---}). Numbers are formatted
 * by the table's {@linkplain Builder#significantDigits(int) number format}:
 *
 * <ul>
 *   <li>integers ({@link Integer}, {@link Long}, {@link Short}, {@link Byte}, {@link BigInteger},
 *       {@link AtomicInteger}, {@link AtomicLong}) are written exactly;
 *   <li>other numbers with {@code s} significant digits (the default, {@value #DEFAULT_SIGNIFICANT_DIGITS}
 *       digits), rounding half up on the number's shortest decimal form: in plain notation, keeping
 *       trailing zeros ({@code 0.5000}, {@code 12350}), when {@code 1e-4 ≤ |rounded| < 1e6}, otherwise in
 *       scientific notation with {@code s − 1} decimals ({@code 1.235e+06}, {@code 2.000e-05}); zero is
 *       {@code 0};
 *   <li>or, with {@link Builder#decimals(int) decimals(d)}, with exactly {@code d} decimals in plain
 *       notation ({@code 3.14}, {@code 1200.00});
 *   <li>{@code NaN} as {@code NaN} and infinities as {@code inf} and {@code -inf}.
 * </ul>
 *
 * Strings are written as given, except that {@code |} becomes {@code \|} and line breaks become spaces;
 * {@code null} cells are empty. Every line, the last included, ends with {@code \n}.
 *
 * <h2>CSV</h2>
 *
 * {@link #toCsv()} writes RFC 4180 CSV: a header line with the column names, then one line per row,
 * fields separated by commas and every line (the last included) ending with CRLF. A field that contains
 * a comma, a double quote, CR or LF is enclosed in double quotes with its quotes doubled. Numbers are
 * written at full precision so that programs lose nothing: integers exactly, {@link BigDecimal} as its
 * plain string, other numbers as the shortest decimal that reads back to the same {@code double}
 * ({@link Double#toString(double)}, for example {@code 0.1} or {@code 1.0E-5}), {@code NaN} as {@code NaN}
 * and infinities as {@code inf} and {@code -inf}; {@code null} cells are empty.
 *
 * <pre>{@code
 * Table t = Table.builder("estimator", "variance", "steps")
 *         .row("score function", 31234.5, 1000)
 *         .row("reparameterised", 2.0, 1000)
 *         .build();
 * t.writeMarkdown(dir.resolve("variance.md"));
 * t.writeCsv(dir.resolve("variance.csv"));
 * }</pre>
 *
 * Instances are immutable and thread-safe. Files are written as UTF-8, atomically, through
 * {@link AtomicFiles#write(Path, byte[])}.
 */
public final class Table {

    /** Significant digits used for non-integer numbers unless the builder says otherwise. */
    public static final int DEFAULT_SIGNIFICANT_DIGITS = 4;

    private static final BigDecimal PLAIN_MIN = new BigDecimal("1e-4");
    private static final BigDecimal PLAIN_MAX = new BigDecimal("1e6");

    private final List<String> columns;
    private final List<List<Object>> rows;
    private final int digits;
    private final boolean decimals;

    private Table(Builder b) {
        this.columns = List.copyOf(b.columns);
        List<List<Object>> copy = new ArrayList<>(b.rows.size());
        for (List<Object> r : b.rows) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(r))); // List.copyOf rejects null cells
        }
        this.rows = Collections.unmodifiableList(copy);
        this.digits = b.digits;
        this.decimals = b.decimals;
    }

    /**
     * Returns a builder for a table with the given column names and no rows.
     *
     * @param columns the column names, at least one
     * @return a new builder
     * @throws IllegalArgumentException if there is no column
     */
    public static Builder builder(String... columns) {
        return builder(Arrays.asList(columns));
    }

    /**
     * Returns a builder for a table with the given column names and no rows.
     *
     * @param columns the column names, at least one
     * @return a new builder
     * @throws IllegalArgumentException if there is no column
     */
    public static Builder builder(List<String> columns) {
        return new Builder(columns);
    }

    /**
     * Returns the column names.
     *
     * @return an unmodifiable list
     */
    public List<String> columns() {
        return columns;
    }

    /**
     * Returns the rows; each row has one cell (a {@link String}, a {@link Number} or {@code null}) per
     * column.
     *
     * @return an unmodifiable list of unmodifiable rows
     */
    public List<List<Object>> rows() {
        return rows;
    }

    /**
     * Renders the table as a Markdown pipe table (see the {@linkplain Table class documentation}).
     *
     * @return the Markdown text, each line ending with {@code \n}
     */
    public String toMarkdown() {
        int n = columns.size();
        List<String[]> lines = new ArrayList<>(rows.size() + 1);
        String[] header = new String[n];
        for (int c = 0; c < n; c++) {
            header[c] = markdownText(columns.get(c));
        }
        lines.add(header);
        boolean[] numeric = new boolean[n];
        Arrays.fill(numeric, true);
        boolean[] anyCell = new boolean[n];
        for (List<Object> row : rows) {
            String[] cells = new String[n];
            for (int c = 0; c < n; c++) {
                Object v = row.get(c);
                if (v instanceof Number num) {
                    cells[c] = formatForHumans(num);
                    anyCell[c] = true;
                } else if (v != null) {
                    cells[c] = markdownText((String) v);
                    numeric[c] &= ((String) v).isEmpty();
                    anyCell[c] |= !((String) v).isEmpty();
                } else {
                    cells[c] = "";
                }
            }
            lines.add(cells);
        }
        int[] width = new int[n];
        for (String[] line : lines) {
            for (int c = 0; c < n; c++) {
                width[c] = Math.max(Math.max(width[c], 3), length(line[c]));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            appendMarkdownLine(sb, lines.get(i), width, numeric, anyCell);
            if (i == 0) {
                String[] rule = new String[n];
                for (int c = 0; c < n; c++) {
                    rule[c] = numeric[c] && anyCell[c] ? "-".repeat(width[c] - 1) + ":" : "-".repeat(width[c]);
                }
                appendMarkdownLine(sb, rule, width, numeric, anyCell);
            }
        }
        return sb.toString();
    }

    /**
     * Renders the table as RFC 4180 CSV (see the {@linkplain Table class documentation}).
     *
     * @return the CSV text, each line ending with CRLF
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder();
        appendCsvLine(sb, new ArrayList<>(columns));
        for (List<Object> row : rows) {
            appendCsvLine(sb, row);
        }
        return sb.toString();
    }

    /**
     * Writes {@link #toMarkdown()} as UTF-8 to {@code file}, atomically.
     *
     * @param file the file to create or replace (missing parent directories are created)
     * @throws IOException if the file cannot be written
     */
    public void writeMarkdown(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        AtomicFiles.write(file, toMarkdown().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@link #toCsv()} as UTF-8 (without byte-order mark) to {@code file}, atomically.
     *
     * @param file the file to create or replace (missing parent directories are created)
     * @throws IOException if the file cannot be written
     */
    public void writeCsv(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        AtomicFiles.write(file, toCsv().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Formats a number as a Markdown cell would show it, with this table's number format (see the
     * {@linkplain Table class documentation}).
     *
     * @param value the number
     * @return its text
     */
    public String format(Number value) {
        return formatForHumans(Objects.requireNonNull(value, "value"));
    }

    @Override
    public String toString() {
        return "Table[" + columns + ", " + rows.size() + " rows]";
    }

    private static void appendMarkdownLine(StringBuilder sb, String[] cells, int[] width, boolean[] numeric,
            boolean[] anyCell) {
        sb.append('|');
        for (int c = 0; c < cells.length; c++) {
            String pad = " ".repeat(width[c] - length(cells[c]));
            sb.append(' ');
            if (numeric[c] && anyCell[c]) {
                sb.append(pad).append(cells[c]);
            } else {
                sb.append(cells[c]).append(pad);
            }
            sb.append(" |");
        }
        sb.append('\n');
    }

    private static void appendCsvLine(StringBuilder sb, List<?> cells) {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                sb.append(',');
            }
            Object v = cells.get(c);
            String s = v == null ? "" : v instanceof Number num ? formatForMachines(num) : (String) v;
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
                sb.append('"').append(s.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(s);
            }
        }
        sb.append("\r\n");
    }

    private static String markdownText(String s) {
        return s.replace("|", "\\|").replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger || n instanceof AtomicInteger || n instanceof AtomicLong;
    }

    private static String special(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return null;
    }

    private static String formatForMachines(Number n) {
        if (isIntegral(n)) {
            return n.toString();
        }
        if (n instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        double d = n.doubleValue();
        String s = special(d);
        return s != null ? s : Double.toString(d);
    }

    private String formatForHumans(Number n) {
        if (isIntegral(n)) {
            return n.toString();
        }
        BigDecimal bd;
        if (n instanceof BigDecimal b) {
            bd = b;
        } else {
            double d = n.doubleValue();
            String s = special(d);
            if (s != null) {
                return s;
            }
            bd = new BigDecimal(Double.toString(d)); // shortest decimal form, no binary residue
        }
        if (decimals) {
            return bd.setScale(digits, RoundingMode.HALF_UP).toPlainString();
        }
        if (bd.signum() == 0) {
            return "0";
        }
        BigDecimal r = bd.round(new MathContext(digits, RoundingMode.HALF_UP));
        BigDecimal abs = r.abs();
        if (abs.compareTo(PLAIN_MIN) >= 0 && abs.compareTo(PLAIN_MAX) < 0) {
            // Show exactly `digits` significant digits (trailing zeros kept; integers padded with zeros).
            int scale = digits - r.precision() + r.scale();
            return r.setScale(Math.max(scale, 0), RoundingMode.HALF_UP).toPlainString();
        }
        return String.format(Locale.ROOT, "%." + (digits - 1) + "e", r);
    }

    /** Columns, rows and number format of a {@link Table}. Not thread-safe; the built table is immutable. */
    public static final class Builder {
        private final List<String> columns;
        private final List<List<Object>> rows = new ArrayList<>();
        private int digits = DEFAULT_SIGNIFICANT_DIGITS;
        private boolean decimals;

        private Builder(List<String> columns) {
            Objects.requireNonNull(columns, "columns");
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("a table needs at least one column");
            }
            for (String c : columns) {
                Objects.requireNonNull(c, "column name");
            }
            this.columns = List.copyOf(columns);
        }

        /**
         * Adds a row.
         *
         * @param cells one cell per column: a {@link String}, a {@link Number} or {@code null} (empty)
         * @return this builder
         * @throws IllegalArgumentException if the number of cells differs from the number of columns or a
         *     cell has another type
         */
        public Builder row(Object... cells) {
            return row(Arrays.asList(cells));
        }

        /**
         * Adds a row (copied).
         *
         * @param cells one cell per column: a {@link String}, a {@link Number} or {@code null} (empty)
         * @return this builder
         * @throws IllegalArgumentException if the number of cells differs from the number of columns or a
         *     cell has another type
         */
        public Builder row(List<?> cells) {
            Objects.requireNonNull(cells, "cells");
            if (cells.size() != columns.size()) {
                throw new IllegalArgumentException("row " + rows.size() + " has " + cells.size()
                        + " cells but the table has " + columns.size() + " columns " + columns);
            }
            for (int c = 0; c < cells.size(); c++) {
                Object v = cells.get(c);
                if (v != null && !(v instanceof String) && !(v instanceof Number)) {
                    throw new IllegalArgumentException("row " + rows.size() + ", column '" + columns.get(c)
                            + "': cells must be String, Number or null, got " + v.getClass().getName());
                }
            }
            rows.add(new ArrayList<>(cells));
            return this;
        }

        /**
         * Formats non-integer numbers in Markdown with {@code digits} significant digits (the default is
         * {@value Table#DEFAULT_SIGNIFICANT_DIGITS}). Replaces an earlier {@link #decimals(int)}.
         *
         * @param digits the number of significant digits, 1 to 17
         * @return this builder
         * @throws IllegalArgumentException if {@code digits} is out of range
         */
        public Builder significantDigits(int digits) {
            if (digits < 1 || digits > 17) {
                throw new IllegalArgumentException("significant digits must be in [1, 17], got " + digits);
            }
            this.digits = digits;
            this.decimals = false;
            return this;
        }

        /**
         * Formats non-integer numbers in Markdown in plain notation with exactly {@code decimals} digits
         * after the point. Replaces an earlier {@link #significantDigits(int)}.
         *
         * @param decimals the number of decimals, 0 to 20
         * @return this builder
         * @throws IllegalArgumentException if {@code decimals} is out of range
         */
        public Builder decimals(int decimals) {
            if (decimals < 0 || decimals > 20) {
                throw new IllegalArgumentException("decimals must be in [0, 20], got " + decimals);
            }
            this.digits = decimals;
            this.decimals = true;
            return this;
        }

        /**
         * Builds the table.
         *
         * @return the immutable table
         */
        public Table build() {
            return new Table(this);
        }
    }
}
