package org.fineprune.core;

/**
 * A batch of face images in NCHW order with raw pixel values, and their labels.
 *
 * @param pixels {@code size * 3 * 55 * 47} values, image after image, channel-major (NCHW)
 * @param labels one label per image, or {@code null} for unlabelled images
 * @param size the number of images in the batch
 */
public record ImageBatch(float[] pixels, int[] labels, int size) {
    /** Checks that the arrays hold {@code size} images. */
    public ImageBatch {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + size);
        }
        if (pixels.length != (long) size * DeepId.IMAGE_VALUES) {
            throw new IllegalArgumentException(
                    "batch of " + size + " images needs " + (long) size * DeepId.IMAGE_VALUES
                            + " pixel values, got " + pixels.length);
        }
        if (labels != null && labels.length != size) {
            throw new IllegalArgumentException(
                    "batch of " + size + " images has " + labels.length + " labels");
        }
    }

    /** Whether every image has a label. */
    public boolean labelled() {
        return labels != null;
    }
}
