package io.vi4j.core.report;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import javax.imageio.ImageIO;

/** Writes PNG files atomically. */
public final class PngFiles {

    static {
        // Encode in memory: ImageIO's default disk cache writes a second temporary file, and when the disk
        // is full its shutdown hook fails with a NullPointerException after vi4j has reported the error.
        ImageIO.setUseCache(false);
    }

    private PngFiles() {}

    /**
     * Writes {@code image} as a PNG to {@code file} so that readers never see a partial file.
     *
     * <p>The image is first encoded into a temporary file in the same directory as {@code file}, which is
     * then moved onto {@code file} with {@link StandardCopyOption#ATOMIC_MOVE}; where the file system
     * cannot move atomically it falls back to {@link StandardCopyOption#REPLACE_EXISTING}. An existing
     * {@code file} is replaced. Missing parent directories are created. On failure the temporary file is
     * deleted and {@code file} is left as it was.
     *
     * @param file the PNG file to create or replace
     * @param image the picture to write
     * @throws IOException if encoding or any file operation fails
     */
    public static void writeAtomically(Path file, RenderedImage image) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(image, "image");
        io.vi4j.core.io.AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available for image type of " + file);
            }
        });
    }
}
