package org.fineprune.core;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Images held in memory, raw pixel values image after image in NCHW order, with optional labels.
 *
 * @param name a name for messages and records
 * @param shape the shape of one image
 * @param pixels the images, {@code shape.size()} values each
 * @param labels one label per image, or {@code null}
 */
public record ArrayImages(String name, ImageShape shape, float[] pixels, int[] labels) implements ImageSource {
    /** Checks that the arrays hold whole images and one label per image. */
    public ArrayImages {
        int n = shape.count(pixels);
        if (n == 0) {
            throw new IllegalArgumentException(name + ": no images");
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException(name + ": " + n + " images but " + labels.length + " labels");
        }
    }

    @Override
    public int size() {
        return pixels.length / shape.size();
    }

    @Override
    public boolean labelled() {
        return labels != null;
    }

    @Override
    public void forEachBatch(int batchSize, Consumer<ImageBatch> consumer) {
        ImageSource.requireBatchSize(batchSize);
        int values = shape.size();
        for (int from = 0; from < size(); from += batchSize) {
            int to = Math.min(size(), from + batchSize);
            consumer.accept(new ImageBatch(Arrays.copyOfRange(pixels, from * values, to * values),
                    labels == null ? null : Arrays.copyOfRange(labels, from, to), to - from));
        }
    }

    /**
     * The images of {@code source} read into memory, with its labels if it has them.
     *
     * @throws IllegalArgumentException if its images are not of {@code shape}
     * @throws IOException if the images cannot be read
     */
    public static ArrayImages copyOf(ImageSource source, ImageShape shape) throws IOException {
        float[] pixels = new float[Math.multiplyExact(source.size(), shape.size())];
        int[] labels = source.labelled() ? new int[source.size()] : null;
        int[] seen = {0};
        source.forEachBatch(256, batch -> {
            if (batch.imageValues() != shape.size() || seen[0] + batch.size() > source.size()) {
                throw new IllegalArgumentException(source.name() + ": images of " + batch.imageValues()
                        + " values, not " + shape + " (" + shape.size() + " values)");
            }
            System.arraycopy(batch.pixels(), 0, pixels, seen[0] * shape.size(), batch.pixels().length);
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
