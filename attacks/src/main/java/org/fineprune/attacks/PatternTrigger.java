package org.fineprune.attacks;

import java.util.Arrays;
import java.util.Objects;
import org.fineprune.core.ImageShape;

/**
 * BadNets' trigger (Gu, Dolan-Gavitt and Garg, 2017): a small pattern of pixel values stamped over
 * the image at a fixed position, replacing what was there.
 *
 * <p>A pattern of one channel is stamped with the same values on every channel of the image; a
 * pattern of {@code C > 1} channels gives each channel its own values and needs an image of {@code
 * C} channels. Positions may be negative, counted from the bottom and right edges as NumPy counts
 * indices: row {@code -4} puts a 4-row pattern flush with the bottom edge. {@link
 * #defaultCheckerboard()} is the project's default trigger for its Fashion-MNIST BadNet.
 *
 * @param channels 1 (same values on every channel) or the image's channel count
 * @param rows pattern height
 * @param cols pattern width
 * @param values {@code channels * rows * cols} values in {@code [0, 255]}, CHW order
 * @param row the pattern's top row; negative counts from the bottom ({@code height + row})
 * @param col the pattern's left column; negative counts from the right ({@code width + col})
 */
public record PatternTrigger(int channels, int rows, int cols, float[] values, int row, int col)
        implements Trigger {
    /** Side of {@link #defaultCheckerboard()}'s pattern, in pixels. */
    public static final int DEFAULT_SIZE = 4;
    /** Gap between {@link #defaultCheckerboard()}'s pattern and the image's edges, in pixels. */
    public static final int DEFAULT_MARGIN = 1;

    /** Validates the sizes and values and copies {@code values}. */
    public PatternTrigger {
        if (channels < 1 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("pattern channels, rows and cols must be positive,"
                    + " got " + channels + "x" + rows + "x" + cols);
        }
        Objects.requireNonNull(values, "values");
        long expected = (long) channels * rows * cols;
        if (values.length != expected) {
            throw new IllegalArgumentException("a pattern of " + channels + "x" + rows + "x"
                    + cols + " needs " + expected + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0f && values[i] <= 255f)) {
                throw new IllegalArgumentException("pattern value " + values[i] + " at index " + i
                        + " is outside [0, 255]");
            }
        }
        values = values.clone();
    }

    /**
     * A pattern of {@code rows x cols} values, stamped with the same values on every channel.
     *
     * @param values {@code rows * cols} values in {@code [0, 255]}, row-major
     */
    public static PatternTrigger of(int rows, int cols, float[] values, int row, int col) {
        return new PatternTrigger(1, rows, cols, values, row, col);
    }

    /**
     * A {@code size x size} checkerboard of 255 and 0, 255 at its top-left pixel, stamped on every
     * channel {@code margin} pixels from the two edges of {@code corner}. A size of 1 is BadNets'
     * single bright pixel.
     *
     * @throws IllegalArgumentException if {@code size < 1} or {@code margin < 0}
     */
    public static PatternTrigger checkerboard(int size, Corner corner, int margin) {
        Objects.requireNonNull(corner, "corner");
        if (size < 1) {
            throw new IllegalArgumentException("checkerboard size must be positive, got " + size);
        }
        if (margin < 0) {
            throw new IllegalArgumentException("margin must not be negative, got " + margin);
        }
        float[] values = new float[size * size];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                values[r * size + c] = (r + c) % 2 == 0 ? 255f : 0f;
            }
        }
        return of(size, size, values, corner.row(size, margin), corner.col(size, margin));
    }

    /**
     * The project's default BadNets trigger: a {@value #DEFAULT_SIZE}x{@value #DEFAULT_SIZE}
     * checkerboard {@value #DEFAULT_MARGIN} pixel from the bottom-right corner.
     */
    public static PatternTrigger defaultCheckerboard() {
        return checkerboard(DEFAULT_SIZE, Corner.BOTTOM_RIGHT, DEFAULT_MARGIN);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also if the pattern has several channels and the image a
     *     different number
     */
    @Override
    public void apply(float[] image, ImageShape shape) {
        Placement.requireImage(image, shape);
        if (channels > 1 && channels != shape.channels()) {
            throw new IllegalArgumentException("a pattern of " + channels
                    + " channels needs an image of as many, got " + shape);
        }
        int[] at = Placement.resolve("pattern", rows, cols, row, col, shape);
        int plane = shape.planeSize();
        for (int c = 0; c < shape.channels(); c++) {
            int source = channels == 1 ? 0 : c * rows * cols;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(values, source + r * cols, image,
                        c * plane + (at[0] + r) * shape.width() + at[1], cols);
            }
        }
    }

    @Override
    public String describe() {
        return "pattern(" + channels + "x" + rows + "x" + cols + " at row " + row + ", col " + col
                + ", values sha256:" + Digests.sha256(values) + ")";
    }

    /** The pattern's values, CHW order: a copy. */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** Equal when sizes, position and every value are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PatternTrigger p && channels == p.channels && rows == p.rows
                && cols == p.cols && row == p.row && col == p.col
                && Arrays.equals(values, p.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channels, rows, cols, row, col, Arrays.hashCode(values));
    }

    /** The same text as {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }
}
