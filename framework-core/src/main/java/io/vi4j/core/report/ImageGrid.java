package io.vi4j.core.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Lays out grayscale images as tiles of one PNG picture.
 *
 * <h2>Input</h2>
 *
 * Pixel values come as one {@code float[]} holding {@code count} items one after another, each item
 * {@code height × width} values in row-major order, so pixel {@code (y, x)} of item {@code i} is
 * {@code values[i * height * width + y * width + x]}. Values are expected in {@code [0, 1]} with
 * {@code 0} black and {@code 1} white; a value {@code v} becomes the gray level
 * {@code round(255 * clamp(v, 0, 1))}, so values outside the range (infinities included) are clamped.
 * {@code NaN} is drawn in the colour {@link #NAN_RGB} (a strong red) so that a diverged decoder is
 * visible at a glance. The picture is written as an RGB PNG in which every non-NaN pixel has equal red,
 * green and blue components.
 *
 * <h2>Layout</h2>
 *
 * With {@code s} the scale (upscale) factor, {@code p} the padding, {@code c = min(columns, count)} the
 * number of tile columns and {@code r = ceil(count / c)} the number of tile rows, every tile is
 * {@code s·height × s·width} pixels (each source pixel becomes an {@code s × s} block) and tiles are
 * separated from each other and from the picture's border by {@code p} pixels of
 * {@linkplain Builder#padColor(int) padding colour}:
 *
 * <pre>
 *   picture width  = c · s · width  + (c + 1) · p
 *   picture height = r · s · height + (r + 1) · p
 * </pre>
 *
 * Item {@code i} goes to tile row {@code i / c}, tile column {@code i % c}; the top-left pixel of its
 * tile is at {@code (x, y) = (p + (i % c)·(s·width + p), p + (i / c)·(s·height + p))}. Unused tiles
 * of the last row are filled with the padding colour.
 *
 * <h2>Pairs layout</h2>
 *
 * {@link #writePairs} and {@link #renderPairs} show originals and their reconstructions in alternating
 * tile rows: tile row {@code 2k} holds originals {@code k·c … k·c + c − 1} and tile row {@code 2k + 1}
 * right beneath it holds the reconstructions of the same items in the same columns, so reconstruction
 * {@code i} sits directly under original {@code i}. The picture therefore has {@code 2·r} tile rows
 * and height {@code 2r · s · height + (2r + 1) · p}; its width is as above.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * ImageGrid.write(dir.resolve("samples.png"), pixels, 64, 28, 28, 8);          // defaults
 * ImageGrid.builder().columns(10).scale(2).padding(2).build()
 *          .savePairs(dir.resolve("recon.png"), originals, reconstructions, 20, 28, 28);
 * }</pre>
 *
 * Instances are immutable and thread-safe. Files are written atomically through
 * {@link PngFiles#writeAtomically}.
 */
public final class ImageGrid {

    /** Colour used for {@code NaN} pixels, as {@code 0xRRGGBB}: a strong red. */
    public static final int NAN_RGB = 0xE0_10_10;

    /** Default padding between tiles, in pixels. */
    public static final int DEFAULT_PADDING = 2;

    /** Default upscale factor. */
    public static final int DEFAULT_SCALE = 1;

    /** Default number of tile columns used by builders that are not told otherwise. */
    public static final int DEFAULT_COLUMNS = 8;

    /** Default padding colour, as {@code 0xRRGGBB}: a mid gray that separates black and white tiles. */
    public static final int DEFAULT_PAD_RGB = 0x80_80_80;

    private final int columns;
    private final int padding;
    private final int scale;
    private final int padRgb;

    private ImageGrid(Builder b) {
        this.columns = b.columns;
        this.padding = b.padding;
        this.scale = b.scale;
        this.padRgb = b.padRgb;
    }

    /**
     * Returns a builder with the defaults {@value #DEFAULT_COLUMNS} columns, padding
     * {@value #DEFAULT_PADDING}, scale {@value #DEFAULT_SCALE} and padding colour {@link #DEFAULT_PAD_RGB}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes {@code count} images as a grid PNG with the default padding, scale and colours.
     *
     * @param file the PNG file to create or replace
     * @param values {@code count · height · width} pixel values, items one after another, row-major
     * @param count number of images
     * @param height image height in pixels
     * @param width image width in pixels
     * @param columns maximum number of tiles per row
     * @throws IllegalArgumentException if a dimension is not positive or {@code values} has the wrong length
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, float[] values, int count, int height, int width, int columns)
            throws IOException {
        builder().columns(columns).build().save(file, values, count, height, width);
    }

    /**
     * Writes originals and their reconstructions in alternating tile rows (see the
     * {@linkplain ImageGrid class documentation}) with the default padding, scale and colours.
     *
     * @param file the PNG file to create or replace
     * @param originals {@code count · h · w} pixel values of the inputs
     * @param reconstructions {@code count · h · w} pixel values of their reconstructions, same order
     * @param count number of image pairs
     * @param h image height in pixels
     * @param w image width in pixels
     * @param columns maximum number of pairs per tile row
     * @throws IllegalArgumentException if a dimension is not positive or an array has the wrong length
     * @throws IOException if the file cannot be written
     */
    public static void writePairs(Path file, float[] originals, float[] reconstructions, int count, int h, int w,
            int columns) throws IOException {
        builder().columns(columns).build().savePairs(file, originals, reconstructions, count, h, w);
    }

    /**
     * Writes {@code count} images as a grid PNG with this instance's options.
     *
     * @param file the PNG file to create or replace
     * @param values {@code count · height · width} pixel values, items one after another, row-major
     * @param count number of images
     * @param height image height in pixels
     * @param width image width in pixels
     * @throws IllegalArgumentException if a dimension is not positive or {@code values} has the wrong length
     * @throws IOException if the file cannot be written
     */
    public void save(Path file, float[] values, int count, int height, int width) throws IOException {
        Objects.requireNonNull(file, "file");
        PngFiles.writeAtomically(file, render(values, count, height, width));
    }

    /**
     * Writes originals above their reconstructions (alternating tile rows) with this instance's options.
     *
     * @param file the PNG file to create or replace
     * @param originals {@code count · h · w} pixel values of the inputs
     * @param reconstructions {@code count · h · w} pixel values of their reconstructions, same order
     * @param count number of image pairs
     * @param h image height in pixels
     * @param w image width in pixels
     * @throws IllegalArgumentException if a dimension is not positive or an array has the wrong length
     * @throws IOException if the file cannot be written
     */
    public void savePairs(Path file, float[] originals, float[] reconstructions, int count, int h, int w)
            throws IOException {
        Objects.requireNonNull(file, "file");
        PngFiles.writeAtomically(file, renderPairs(originals, reconstructions, count, h, w));
    }

    /**
     * Renders the grid without writing it.
     *
     * @param values {@code count · height · width} pixel values, items one after another, row-major
     * @param count number of images
     * @param height image height in pixels
     * @param width image width in pixels
     * @return an RGB picture laid out as described in the {@linkplain ImageGrid class documentation}
     * @throws IllegalArgumentException if a dimension is not positive or {@code values} has the wrong length
     */
    public BufferedImage render(float[] values, int count, int height, int width) {
        checkDims(count, height, width);
        checkLength("values", values, count, height, width);
        int cols = Math.min(columns, count);
        int rows = ceilDiv(count, cols);
        BufferedImage img = blank(rows, cols, height, width);
        for (int i = 0; i < count; i++) {
            drawTile(img, values, i, i / cols, i % cols, height, width);
        }
        return img;
    }

    /**
     * Renders originals above their reconstructions without writing them.
     *
     * @param originals {@code count · h · w} pixel values of the inputs
     * @param reconstructions {@code count · h · w} pixel values of their reconstructions, same order
     * @param count number of image pairs
     * @param h image height in pixels
     * @param w image width in pixels
     * @return an RGB picture laid out as described under "Pairs layout" in the
     *     {@linkplain ImageGrid class documentation}
     * @throws IllegalArgumentException if a dimension is not positive or an array has the wrong length
     */
    public BufferedImage renderPairs(float[] originals, float[] reconstructions, int count, int h, int w) {
        checkDims(count, h, w);
        checkLength("originals", originals, count, h, w);
        checkLength("reconstructions", reconstructions, count, h, w);
        int cols = Math.min(columns, count);
        int pairRows = ceilDiv(count, cols);
        BufferedImage img = blank(2 * pairRows, cols, h, w);
        for (int i = 0; i < count; i++) {
            int pairRow = i / cols;
            int col = i % cols;
            drawTile(img, originals, i, 2 * pairRow, col, h, w);
            drawTile(img, reconstructions, i, 2 * pairRow + 1, col, h, w);
        }
        return img;
    }

    /**
     * Returns the maximum number of tile columns.
     *
     * @return the column count
     */
    public int columns() {
        return columns;
    }

    /**
     * Returns the padding between tiles and around the border, in pixels.
     *
     * @return the padding
     */
    public int padding() {
        return padding;
    }

    /**
     * Returns the integer upscale factor.
     *
     * @return the scale
     */
    public int scale() {
        return scale;
    }

    /**
     * Returns the padding colour as {@code 0xRRGGBB}.
     *
     * @return the padding colour
     */
    public int padColor() {
        return padRgb;
    }

    /**
     * Maps a pixel value to its gray level: {@code round(255 · clamp(v, 0, 1))}. {@code NaN} maps to
     * {@code -1} (callers draw {@link #NAN_RGB} instead).
     *
     * @param v the pixel value
     * @return the gray level in {@code [0, 255]}, or {@code -1} for {@code NaN}
     */
    public static int grayLevel(float v) {
        if (Float.isNaN(v)) {
            return -1;
        }
        float c = v < 0f ? 0f : (v > 1f ? 1f : v);
        return Math.round(c * 255f);
    }

    private BufferedImage blank(int rows, int cols, int h, int w) {
        long pw = (long) cols * scale * w + (long) (cols + 1) * padding;
        long ph = (long) rows * scale * h + (long) (rows + 1) * padding;
        if (pw > Integer.MAX_VALUE || ph > Integer.MAX_VALUE || pw * ph > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("grid picture would be too large: " + pw + " x " + ph + " pixels");
        }
        BufferedImage img = new BufferedImage((int) pw, (int) ph, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[(int) pw];
        java.util.Arrays.fill(row, padRgb);
        for (int y = 0; y < ph; y++) {
            img.setRGB(0, y, (int) pw, 1, row, 0, (int) pw);
        }
        return img;
    }

    private void drawTile(BufferedImage img, float[] values, int item, int tileRow, int tileCol, int h, int w) {
        int x0 = padding + tileCol * (scale * w + padding);
        int y0 = padding + tileRow * (scale * h + padding);
        int base = item * h * w;
        int[] line = new int[w * scale];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = grayLevel(values[base + y * w + x]);
                int rgb = g < 0 ? NAN_RGB : (g << 16) | (g << 8) | g;
                for (int k = 0; k < scale; k++) {
                    line[x * scale + k] = rgb;
                }
            }
            for (int k = 0; k < scale; k++) {
                img.setRGB(x0, y0 + y * scale + k, w * scale, 1, line, 0, w * scale);
            }
        }
    }

    private static void checkDims(int count, int height, int width) {
        if (count <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("count, height and width must be positive, got count=" + count
                    + ", height=" + height + ", width=" + width);
        }
        if ((long) count * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("count * height * width overflows an int: count=" + count
                    + ", height=" + height + ", width=" + width);
        }
    }

    private static void checkLength(String name, float[] values, int count, int height, int width) {
        Objects.requireNonNull(values, name);
        int expected = count * height * width;
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has length " + values.length + " but expected " + expected
                    + " (count=" + count + " x height=" + height + " x width=" + width + ")");
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Options of an {@link ImageGrid}. Not thread-safe; the built grid is. */
    public static final class Builder {
        private int columns = DEFAULT_COLUMNS;
        private int padding = DEFAULT_PADDING;
        private int scale = DEFAULT_SCALE;
        private int padRgb = DEFAULT_PAD_RGB;

        private Builder() {}

        /**
         * Sets the maximum number of tiles per row (fewer are used when there are fewer images).
         *
         * @param columns a positive number of columns
         * @return this builder
         * @throws IllegalArgumentException if {@code columns <= 0}
         */
        public Builder columns(int columns) {
            if (columns <= 0) {
                throw new IllegalArgumentException("columns must be positive, got " + columns);
            }
            this.columns = columns;
            return this;
        }

        /**
         * Sets the padding between tiles and around the border, in pixels (1 or 2 reads well; 0 is allowed).
         *
         * @param padding a non-negative number of pixels
         * @return this builder
         * @throws IllegalArgumentException if {@code padding < 0}
         */
        public Builder padding(int padding) {
            if (padding < 0) {
                throw new IllegalArgumentException("padding must be >= 0, got " + padding);
            }
            this.padding = padding;
            return this;
        }

        /**
         * Sets the integer upscale factor: each source pixel becomes a {@code scale × scale} block (for
         * example 2 or 3 so that 28×28 tiles are readable).
         *
         * @param scale a positive factor
         * @return this builder
         * @throws IllegalArgumentException if {@code scale <= 0}
         */
        public Builder scale(int scale) {
            if (scale <= 0) {
                throw new IllegalArgumentException("scale must be positive, got " + scale);
            }
            this.scale = scale;
            return this;
        }

        /**
         * Sets the colour of the padding and of unused tiles.
         *
         * @param rgb the colour as {@code 0xRRGGBB} (higher bits are ignored)
         * @return this builder
         */
        public Builder padColor(int rgb) {
            this.padRgb = rgb & 0xFF_FF_FF;
            return this;
        }

        /**
         * Builds the immutable grid writer.
         *
         * @return the grid writer
         */
        public ImageGrid build() {
            return new ImageGrid(this);
        }
    }
}
