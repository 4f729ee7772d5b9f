/**
 * The data layer: readers of IDX (MNIST / Fashion-MNIST) and numeric CSV files, the built-in synthetic
 * {@link io.vi4j.core.data.SpritesDataset}, preprocessing (scaling, binarization, limits), the config
 * specs of the {@code data} section and their factories, registered by
 * {@link io.vi4j.core.data.CoreDataPlugin} under the names {@code idx}, {@code fashion-mnist},
 * {@code csv} and {@code sprites}.
 *
 * <p>Everything here works on host arrays ({@link io.vi4j.api.data.Dataset}); nothing needs the
 * engine. Bad file content is reported by {@link io.vi4j.core.data.DataException}, a checked
 * {@link java.io.IOException} whose message starts with the file (or dataset) it concerns.
 */
package io.vi4j.core.data;
