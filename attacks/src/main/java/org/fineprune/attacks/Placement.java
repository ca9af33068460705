package org.fineprune.attacks;

import org.fineprune.core.ImageShape;

/**
 * Where a rectangle of {@code rows x cols} lands in an image: its top row and left column, with
 * negative positions counted from the bottom and right edges as NumPy counts indices.
 */
final class Placement {
    private Placement() {}

    /** Checks that {@code image} holds exactly one image of {@code shape}. */
    static void requireImage(float[] image, ImageShape shape) {
        if (image == null || shape == null) {
            throw new IllegalArgumentException("image and shape must not be null");
        }
        if (image.length != shape.size()) {
            throw new IllegalArgumentException("an image of shape " + shape + " holds "
                    + shape.size() + " values, got " + image.length);
        }
    }

    /**
     * The top-left corner {@code {top, left}} of a {@code rows x cols} rectangle at {@code (row,
     * col)} in an image of {@code shape}.
     *
     * @throws IllegalArgumentException if the rectangle does not lie wholly inside the image; the
     *     message starts with {@code what}
     */
    static int[] resolve(String what, int rows, int cols, int row, int col, ImageShape shape) {
        long top = row < 0 ? (long) shape.height() + row : row;
        long left = col < 0 ? (long) shape.width() + col : col;
        if (top < 0 || left < 0 || top + rows > shape.height() || left + cols > shape.width()) {
            throw new IllegalArgumentException(what + " of " + rows + "x" + cols + " at row " + row
                    + ", col " + col + " does not fit inside a " + shape + " image");
        }
        return new int[] {(int) top, (int) left};
    }
}
