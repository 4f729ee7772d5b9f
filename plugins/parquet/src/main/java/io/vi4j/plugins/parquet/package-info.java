/**
 * Parquet for the {@code table} data source: {@link io.vi4j.plugins.parquet.ParquetTableReader} reads a Parquet
 * file with DuckDB's JDBC driver ({@code SELECT * FROM read_parquet(...)}) into text cells, a SQL {@code NULL}
 * being a missing cell. It is a {@link io.vi4j.api.data.TableFileReader} found with {@link java.util.ServiceLoader},
 * in a module of its own so that the core does not carry DuckDB's native libraries.
 */
package io.vi4j.plugins.parquet;
