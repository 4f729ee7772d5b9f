package io.vi4j.plugins.parquet;

import io.vi4j.api.data.TableFileReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Parquet file with an in-memory DuckDB ({@code SELECT * FROM read_parquet('FILE')}): every column in
 * the file's order, every row as text cells — a {@code NULL} as null (a missing cell), a double as {@link
 * Double#toString} writes it (read back to the same value), a decimal in plain notation, a boolean as {@code
 * true} / {@code false}, anything else as its text.
 */
public final class ParquetTableReader implements TableFileReader {

  /** The most characters of DuckDB's message repeated in an error. */
  private static final int MESSAGE_CHARS = 200;

  @Override
  public String format() {
    return "parquet";
  }

  @Override
  public Cells read(Path file) throws IOException {
    String literal = "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
    try {
      Class.forName("org.duckdb.DuckDBDriver");
    } catch (ClassNotFoundException e) {
      throw new IOException(file + ": reading Parquet needs DuckDB's JDBC driver (org.duckdb:duckdb_jdbc) on the"
          + " class path", e);
    }
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT * FROM read_parquet(" + literal + ")")) {
      ResultSetMetaData meta = rows.getMetaData();
      int width = meta.getColumnCount();
      List<String> header = new ArrayList<>(width);
      for (int c = 1; c <= width; c++) {
        header.add(meta.getColumnLabel(c));
      }
      List<String[]> cells = new ArrayList<>();
      while (rows.next()) {
        String[] row = new String[width];
        for (int c = 1; c <= width; c++) {
          row[c - 1] = text(rows.getObject(c));
        }
        cells.add(row);
      }
      return new Cells(header, cells);
    } catch (SQLException e) {
      throw new IOException(file + ": not a readable Parquet file (DuckDB: " + firstLine(e.getMessage()) + ")", e);
    }
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    return String.valueOf(value);
  }

  private static String firstLine(String message) {
    String line = message == null ? "no message" : message.strip().lines().findFirst().orElse("no message");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < line.length() && out.length() < MESSAGE_CHARS; i++) {
      char ch = line.charAt(i);
      out.append(ch < 0x20 || ch == 0x7f ? '?' : ch);
    }
    return line.length() > MESSAGE_CHARS ? out + "..." : out.toString();
  }
}
