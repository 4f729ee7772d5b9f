/**
 * The data layer: readers of IDX (MNIST / Fashion-MNIST) and numeric CSV files, tables of mixed columns
 * ({@link io.vi4j.core.data.TableDataFactory}: text cells, missing cells, inferred kinds, levels and
 * standardisation; Parquet through a {@link io.vi4j.api.data.TableFileReader} module), the built-in synthetic
 * {@link io.vi4j.core.data.SpritesDataset}, preprocessing (scaling, binarization, limits), the removal of
 * labelled items ({@link io.vi4j.core.data.LabelFilter}), the config specs of the {@code data} section
 * and their factories, registered by {@link io.vi4j.core.data.CoreDataPlugin} under the names
 * {@code idx}, {@code fashion-mnist}, {@code csv}, {@code sprites} and {@code table}.
 *
 * <p>Everything here works on host arrays ({@link io.vi4j.api.data.Dataset}); nothing needs the
 * engine. Bad file content is reported by {@link io.vi4j.core.data.DataException}, a checked
 * {@link java.io.IOException} whose message is one printable line that starts with the file (or
 * dataset) it concerns; bytes from the file quoted in it are escaped and cut. Hostile files end there
 * too, never in an {@link OutOfMemoryError}: only regular files are read, a CSV line holds at most
 * {@link io.vi4j.core.data.CsvReader#MAX_LINE_CHARS} characters, a file at most 2,147,483,639 values
 * (one Java float array), nothing is allocated for data a file cannot hold, and a heap too small for a
 * genuine file is reported as such. No source returns an empty split.
 */
package io.vi4j.core.data;
