package org.fineprune.core;

import java.io.IOException;

/** Reads a whole {@link ImageSource} into memory, for defenses that draw mini-batches at random. */
public final class ArrayImagesReader {
    private static final int BATCH = 256;

    private ArrayImagesReader() {}

    /**
     * Every image and label of {@code source}, which must hold {@code shape} images.
     *
     * @throws IllegalArgumentException if the images are not of {@code shape}
     * @throws IOException if the source cannot be read
     */
    public static ArrayImages read(ImageSource source, ImageShape shape) throws IOException {
        int values = shape.size();
        float[] pixels = new float[Math.multiplyExact(source.size(), values)];
        int[] labels = source.labelled() ? new int[source.size()] : null;
        int[] seen = {0};
        source.forEachBatch(BATCH, batch -> {
            // Checked here, not left to the copy: smaller images would fit and read as zero padding.
            if (batch.imageValues() != values) {
                throw new IllegalArgumentException(source.name() + ": images of " + batch.imageValues()
                        + " values, expected " + shape + " images (" + values + " values)");
            }
            if (seen[0] + batch.size() > source.size()) {
                throw new IllegalStateException(source.name() + " gave more than its " + source.size() + " images");
            }
            System.arraycopy(batch.pixels(), 0, pixels, seen[0] * values, batch.pixels().length);
            if (labels != null) {
                System.arraycopy(batch.labels(), 0, labels, seen[0], batch.size());
            }
            seen[0] += batch.size();
        });
        if (seen[0] != source.size()) {
            throw new IllegalStateException(source.name() + " gave " + seen[0] + " images, not " + source.size());
        }
        return new ArrayImages(source.name(), shape, pixels, labels);
    }
}
