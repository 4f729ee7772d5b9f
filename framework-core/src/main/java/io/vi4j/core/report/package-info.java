/**
 * Outputs of a run for people and programs: PNG grids of images (samples, reconstructions), line charts
 * (learning curves), bar charts (comparisons such as gradient variance per estimator) and small result
 * tables (Markdown and CSV).
 *
 * <p>Everything here works on plain host arrays ({@code float[]} pixel values, {@code double[]}
 * series) rather than NDArrays, so callers copy tensors to the host first (for example with
 * {@code NDArray.toFloatArray()}). Image grids are drawn directly into a
 * {@link java.awt.image.BufferedImage}; charts are drawn by the
 * <a href="https://knowm.org/open-source/xchart/">XChart</a> library into a {@code BufferedImage}
 * ({@code BitmapEncoder.getBufferedImage}). No window is opened and no global property (such as
 * {@code java.awt.headless}) is set, so the classes work on headless machines. Text in charts needs at
 * least one font that the JDK can find (on Linux, via fontconfig).
 *
 * <p>Files are written atomically through {@link io.vi4j.core.io.AtomicFiles} (PNGs by way of
 * {@link io.vi4j.core.report.PngFiles#writeAtomically}): the content is written to a temporary file in
 * the target directory and then moved over the target, so a crash never leaves a half-written file
 * behind.
 *
 * <ul>
 *   <li>{@link io.vi4j.core.report.ImageGrid}: a grid of grayscale tiles, or originals above their
 *       reconstructions.
 *   <li>{@link io.vi4j.core.report.Captions}: a title, column captions and row labels around a grid, so that
 *       a picture says what it shows.
 *   <li>{@link io.vi4j.core.report.LineChart}: named (x, y) series with axes, ticks, legend and title;
 *       optional log y axis.
 *   <li>{@link io.vi4j.core.report.BarChart}: categories × named series of values, optional error bars
 *       and log y axis.
 *   <li>{@link io.vi4j.core.report.ScatterChart}: 2-D points coloured by an integer label, the legend naming
 *       each label (a class name where the caller has one).
 *   <li>{@link io.vi4j.core.report.Table}: named columns and rows of text and numbers, as Markdown or CSV.
 * </ul>
 */
package io.vi4j.core.report;
