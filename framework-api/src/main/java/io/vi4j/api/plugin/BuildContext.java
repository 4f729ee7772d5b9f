package io.vi4j.api.plugin;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * What a factory may need to build its component.
 *
 * @param dataDimension {@code D}, the length of one data item (0 when building a data source)
 * @param latentDimension {@code L} (0 when building a data source)
 * @param manager the model's long-lived manager, where parameters live (null when building a data source)
 * @param baseDirectory the directory relative file paths in a config are resolved against
 * @param itemShape the shape of one data item, {@code [D]} for flat data or {@code [C, H, W]} for images
 *     (its product is {@code D}); a network of layers takes items of this shape
 * @param trainItems {@code N}, the items of the training split the model is built for (0 when not known):
 *     a family with parameters per item ({@link io.vi4j.api.model.PerItemFamily}) holds {@code N} rows
 * @param table the columns of the table the model is built for, or null when the data are not a table: a
 *     likelihood over mixed columns may take its column groups from it
 */
public record BuildContext(
    int dataDimension, int latentDimension, NDManager manager, Path baseDirectory, int[] itemShape, int trainItems,
    io.vi4j.api.data.TableSchema table) {

  /** A context for items of {@code itemShape} that are not a table. */
  public BuildContext(
      int dataDimension, int latentDimension, NDManager manager, Path baseDirectory, int[] itemShape, int trainItems) {
    this(dataDimension, latentDimension, manager, baseDirectory, itemShape, trainItems, null);
  }

  /** A context for items of {@code itemShape}, the training split's size not known. */
  public BuildContext(int dataDimension, int latentDimension, NDManager manager, Path baseDirectory, int[] itemShape) {
    this(dataDimension, latentDimension, manager, baseDirectory, itemShape, 0, null);
  }

  /** A context for flat items of {@code dataDimension} values. */
  public BuildContext(int dataDimension, int latentDimension, NDManager manager, Path baseDirectory) {
    this(dataDimension, latentDimension, manager, baseDirectory, new int[] {dataDimension}, 0, null);
  }

  /** Validates that the item shape holds {@code dataDimension} values. */
  public BuildContext {
    if (trainItems < 0) {
      throw new IllegalArgumentException("trainItems must be at least 0, got " + trainItems);
    }
    itemShape = itemShape == null ? new int[] {dataDimension} : itemShape.clone();
    long size = 1;
    for (int d : itemShape) {
      size *= d;
    }
    if (size != dataDimension) {
      throw new IllegalArgumentException("item shape " + java.util.Arrays.toString(itemShape) + " holds " + size
          + " values, not the data dimension " + dataDimension);
    }
  }

  /** @return the shape of one data item as a DJL shape. */
  public ai.djl.ndarray.types.Shape shape() {
    return new ai.djl.ndarray.types.Shape(java.util.Arrays.stream(itemShape).asLongStream().toArray());
  }

  /** Resolves a path written in a config against {@link #baseDirectory()}. */
  public Path resolve(String path) {
    Path p = Path.of(path);
    return p.isAbsolute() || baseDirectory == null ? p : baseDirectory.resolve(p).normalize();
  }
}
