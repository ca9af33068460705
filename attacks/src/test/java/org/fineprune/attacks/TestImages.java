package org.fineprune.attacks;

import org.fineprune.core.ImageShape;

/** Generated images for the tests. */
final class TestImages {
    private TestImages() {}

    /**
     * {@code count} images of {@code shape} whose values run 20, 21, ..., 219, 20, ...: never 0 or
     * 255, and different from their neighbours, so any stamped pixel shows.
     */
    static float[] ramp(ImageShape shape, int count) {
        float[] images = new float[count * shape.size()];
        for (int i = 0; i < images.length; i++) {
            images[i] = 20 + i % 200;
        }
        return images;
    }

    /** Index of value {@code (channel, row, col)} of a CHW image of {@code shape}. */
    static int index(ImageShape shape, int channel, int row, int col) {
        return (channel * shape.height() + row) * shape.width() + col;
    }
}
