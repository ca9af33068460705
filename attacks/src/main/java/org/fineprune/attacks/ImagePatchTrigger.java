package org.fineprune.attacks;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.fineprune.core.DataFormatException;
import org.fineprune.core.ImageShape;

/**
 * A picture trigger, such as the sunglasses of the CSAW-HackML BadNets: an RGB patch with an alpha
 * channel, composited over the image at a fixed position ({@code out = a * patch + (1 - a) * in}
 * with {@code a} the patch's opacity in {@code [0, 1]}), so that transparent pixels leave the
 * image as it is.
 *
 * <p>On an RGB image each channel takes the patch's channel; on a grey-scale image the patch's
 * luminance {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601, as PIL's {@code convert("L")}), not
 * rounded. Positions may be negative, counted from the bottom and right edges as in {@link
 * PatternTrigger}.
 *
 * <pre>{@code
 * // The CSAW-HackML-2019 sunglasses, 47x20 RGBA, pasted at row 15, column 0 of a 3x55x47 face.
 * Trigger sunglasses = ImagePatchTrigger.read(csaw.resolve("triggers/sunglasses_2019.png"), 15, 0);
 * }</pre>
 *
 * @param name where the patch came from (the file name for {@link #read}), for messages and
 *     {@link #describe()}
 * @param rows patch height
 * @param cols patch width
 * @param rgb {@code 3 * rows * cols} colour values in {@code [0, 255]}, CHW order (R, G, B planes)
 * @param alpha {@code rows * cols} opacities in {@code [0, 1]}, row-major; 1 is opaque
 * @param row the patch's top row; negative counts from the bottom ({@code height + row})
 * @param col the patch's left column; negative counts from the right ({@code width + col})
 */
public record ImagePatchTrigger(String name, int rows, int cols, float[] rgb, float[] alpha,
        int row, int col) implements Trigger {

    /** Validates the sizes and values and copies the arrays. */
    public ImagePatchTrigger {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("patch name must not be blank");
        }
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(name + ": patch rows and cols must be positive, got "
                    + rows + "x" + cols);
        }
        Objects.requireNonNull(rgb, "rgb");
        Objects.requireNonNull(alpha, "alpha");
        long plane = (long) rows * cols;
        if (rgb.length != 3 * plane || alpha.length != plane) {
            throw new IllegalArgumentException(name + ": a patch of " + rows + "x" + cols + " needs "
                    + 3 * plane + " colour values and " + plane + " alpha values, got "
                    + rgb.length + " and " + alpha.length);
        }
        for (int i = 0; i < rgb.length; i++) {
            if (!(rgb[i] >= 0f && rgb[i] <= 255f)) {
                throw new IllegalArgumentException(name + ": colour value " + rgb[i] + " at index "
                        + i + " is outside [0, 255]");
            }
        }
        for (int i = 0; i < alpha.length; i++) {
            if (!(alpha[i] >= 0f && alpha[i] <= 1f)) {
                throw new IllegalArgumentException(name + ": alpha " + alpha[i] + " at index " + i
                        + " is outside [0, 1]");
            }
        }
        rgb = rgb.clone();
        alpha = alpha.clone();
    }

    /**
     * Reads a patch from an image file (PNG, or anything else {@link ImageIO} reads): RGB or
     * grey, with or without alpha; without alpha the patch is opaque. Grey samples are taken as
     * stored rather than through Java's linear grey colour space.
     *
     * @throws NoSuchFileException if {@code file} does not exist
     * @throws AccessDeniedException if it cannot be read
     * @throws DataFormatException if it is not a readable image; the message names the file
     * @throws IOException if reading fails otherwise
     */
    public static ImagePatchTrigger read(Path file, int row, int col) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such trigger image");
        }
        if (!Files.isReadable(file)) {
            throw new AccessDeniedException(file.toString(), null, "trigger image not readable");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException(file + ": not a readable image (" + e.getMessage() + ")",
                    e);
        }
        if (image == null) {
            throw new DataFormatException(file + ": not a readable image (no reader for its format)");
        }
        int rows = image.getHeight();
        int cols = image.getWidth();
        int plane = rows * cols;
        float[] rgb = new float[3 * plane];
        float[] alpha = new float[plane];
        ColorModel model = image.getColorModel();
        // getRGB treats Java's grey colour space as linear and brightens it towards sRGB (100
        // becomes 168), so grey samples are taken from the raster as stored.
        boolean grey = !(model instanceof IndexColorModel)
                && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        Raster raster = image.getRaster();
        Raster alphaRaster = image.getAlphaRaster();
        float greyMax = (1 << model.getComponentSize(0)) - 1;
        float alphaMax = (1 << model.getComponentSize(model.getNumComponents() - 1)) - 1;
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int at = y * cols + x;
                if (grey) {
                    float value = Math.round(raster.getSample(x, y, 0) * 255f / greyMax);
                    rgb[at] = value;
                    rgb[plane + at] = value;
                    rgb[2 * plane + at] = value;
                    alpha[at] = alphaRaster == null ? 1f : alphaRaster.getSample(x, y, 0) / alphaMax;
                } else {
                    int argb = image.getRGB(x, y);
                    rgb[at] = (argb >> 16) & 0xFF;
                    rgb[plane + at] = (argb >> 8) & 0xFF;
                    rgb[2 * plane + at] = argb & 0xFF;
                    alpha[at] = (argb >>> 24) / 255f;
                }
            }
        }
        Path fileName = file.getFileName();
        return new ImagePatchTrigger(fileName == null ? file.toString() : fileName.toString(),
                rows, cols, rgb, alpha, row, col);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also if the image has neither 1 nor 3 channels; messages
     *     start with the patch's {@link #name}
     */
    @Override
    public void apply(float[] image, ImageShape shape) {
        Placement.requireImage(image, shape);
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException(name + ": a colour patch needs a grey or RGB image"
                    + " of 1 or 3 channels, got " + shape);
        }
        int[] at = Placement.resolve(name + ": patch", rows, cols, row, col, shape);
        int patchPlane = rows * cols;
        int imagePlane = shape.planeSize();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int p = r * cols + c;
                double a = alpha[p];
                if (a == 0) {
                    continue;
                }
                int pixel = (at[0] + r) * shape.width() + at[1] + c;
                if (shape.channels() == 1) {
                    double luminance = 0.299 * rgb[p] + 0.587 * rgb[patchPlane + p]
                            + 0.114 * rgb[2 * patchPlane + p];
                    image[pixel] = (float) (a * luminance + (1 - a) * image[pixel]);
                } else {
                    for (int ch = 0; ch < 3; ch++) {
                        int i = ch * imagePlane + pixel;
                        image[i] = (float) (a * rgb[ch * patchPlane + p] + (1 - a) * image[i]);
                    }
                }
            }
        }
    }

    @Override
    public String describe() {
        return "patch(" + name + " " + rows + "x" + cols + " at row " + row + ", col " + col
                + ", rgba sha256:" + Digests.sha256(rgb, alpha) + ")";
    }

    /** The colour values, CHW order: a copy. */
    @Override
    public float[] rgb() {
        return rgb.clone();
    }

    /** The opacities, row-major: a copy. */
    @Override
    public float[] alpha() {
        return alpha.clone();
    }

    /** Equal when name, sizes, position and every colour and alpha value are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ImagePatchTrigger p && name.equals(p.name) && rows == p.rows
                && cols == p.cols && row == p.row && col == p.col && Arrays.equals(rgb, p.rgb)
                && Arrays.equals(alpha, p.alpha);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, rows, cols, row, col, Arrays.hashCode(rgb),
                Arrays.hashCode(alpha));
    }

    /** The same text as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }
}
