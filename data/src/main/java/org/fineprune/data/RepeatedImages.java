package org.fineprune.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageSource;

/**
 * A small labelled set (images of any shape) repeated until it reaches a given size, for benchmarks at the size of the
 * lab's full files when only a sample is at hand. The sample is held in memory.
 */
public final class RepeatedImages implements ImageSource {
    private final String name;
    private final int size;
    private final float[] pixels;
    private final int[] labels;
    private final int sampleSize;
    private final int imageValues;

    private RepeatedImages(String name, int size, float[] pixels, int[] labels, int sampleSize,
            int imageValues) {
        this.name = name;
        this.size = size;
        this.pixels = pixels;
        this.labels = labels;
        this.sampleSize = sampleSize;
        this.imageValues = imageValues;
    }

    /**
     * {@code sample} repeated to {@code size} images (the last copy cut short).
     *
     * @throws IllegalArgumentException if {@code size} is not positive or the sample is empty
     * @throws IOException if the sample cannot be read
     */
    public static RepeatedImages of(ImageSource sample, int size) throws IOException {
        if (size < 1 || sample.size() < 1) {
            throw new IllegalArgumentException("need a positive size and a non-empty sample, got " + size
                    + " from " + sample.size() + " images");
        }
        List<ImageBatch> batches = new ArrayList<>();
        sample.forEachBatch(sample.size(), batches::add);
        int imageValues = batches.get(0).imageValues();
        float[] pixels = new float[sample.size() * imageValues];
        int[] labels = sample.labelled() ? new int[sample.size()] : null;
        int at = 0;
        for (ImageBatch b : batches) {
            System.arraycopy(b.pixels(), 0, pixels, at * imageValues, b.pixels().length);
            if (labels != null) {
                System.arraycopy(b.labels(), 0, labels, at, b.size());
            }
            at += b.size();
        }
        return new RepeatedImages(sample.name() + " x" + size, size, pixels, labels, sample.size(),
                imageValues);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean labelled() {
        return labels != null;
    }

    @Override
    public void forEachBatch(int batchSize, Consumer<ImageBatch> consumer) {
        ImageSource.requireBatchSize(batchSize);
        for (int start = 0; start < size; start += batchSize) {
            int count = Math.min(batchSize, size - start);
            float[] batch = new float[count * imageValues];
            int[] batchLabels = labels == null ? null : new int[count];
            for (int i = 0; i < count; i++) {
                int source = (start + i) % sampleSize;
                System.arraycopy(pixels, source * imageValues, batch, i * imageValues, imageValues);
                if (batchLabels != null) {
                    batchLabels[i] = labels[source];
                }
            }
            consumer.accept(new ImageBatch(batch, batchLabels, count));
        }
    }
}
