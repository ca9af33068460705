package org.fineprune.core;

/**
 * A batch of images in NCHW order with raw pixel values, and their labels.
 *
 * @param pixels {@code size} images of equal length, image after image, channel-major (NCHW)
 * @param labels one label per image, or {@code null} for unlabelled images
 * @param size the number of images in the batch
 */
public record ImageBatch(float[] pixels, int[] labels, int size) {
    /** Checks that the arrays hold {@code size} images. */
    public ImageBatch {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + size);
        }
        if (pixels.length == 0 || pixels.length % size != 0) {
            throw new IllegalArgumentException(
                    pixels.length + " pixel values are not " + size + " images of equal size");
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

    /** The number of values of one image, for example 3 * 55 * 47 for DeepID. */
    public int imageValues() {
        return pixels.length / size;
    }
}
