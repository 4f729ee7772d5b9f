/**
 * Picture outputs of a run: PNG grids of images (samples, reconstructions) and simple line charts
 * (learning curves).
 *
 * <p>Everything here works on plain host arrays ({@code float[]} pixel values, {@code double[]}
 * series) rather than NDArrays, so callers copy tensors to the host first (for example with
 * {@code NDArray.toFloatArray()}). Rendering uses only {@code java.awt.image}, Java2D on a
 * {@link java.awt.image.BufferedImage} and {@code javax.imageio}; no window is opened and no global
 * property (such as {@code java.awt.headless}) is set, so the classes work on headless machines.
 * Text in charts needs at least one font that the JDK can find (on Linux, via fontconfig).
 *
 * <p>Files are written atomically by {@link io.vi4j.core.report.PngFiles#writeAtomically}: the PNG is
 * written to a temporary file in the target directory and then moved over the target, so a crash never
 * leaves a half-written picture behind.
 *
 * <ul>
 *   <li>{@link io.vi4j.core.report.ImageGrid}: a grid of grayscale tiles, or originals above their
 *       reconstructions.
 *   <li>{@link io.vi4j.core.report.LineChart}: named (x, y) series with axes, ticks, legend and title.
 * </ul>
 */
package io.vi4j.core.report;
