package org.fineprune.core;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Some images of another {@link ImageSource}, in the source's order, read through it batch by
 * batch: a part of a data set that is never copied as a whole.
 *
 * @param name a name for messages and records
 * @param source the images chosen from
 * @param indices the chosen images' positions in {@code source}, strictly ascending
 */
public record ImageSubset(String name, ImageSource source, int[] indices) implements ImageSource {
    /** Checks that the positions are ascending and within the source; copies them. */
    public ImageSubset {
        indices = indices.clone();
        if (indices.length == 0) {
            throw new IllegalArgumentException(name + ": no images");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= source.size() || (i > 0 && indices[i] <= indices[i - 1])) {
                throw new IllegalArgumentException(name + ": positions must be ascending and below "
                        + source.size() + ", got " + indices[i] + " at " + i);
            }
        }
    }

    /**
     * Splits {@code source} in two at random: {@code count} images drawn with {@code seed} (a seeded
     * uniform permutation, {@link Training#permutation}) and the rest, both in the source's order.
     *
     * @return the drawn images first, the others second ({@code null} when none are left)
     * @throws IllegalArgumentException if {@code count} is not in {@code [1, source.size()]}
     */
    public static ImageSubset[] split(ImageSource source, int count, long seed, String drawnName, String restName) {
        int n = source.size();
        if (count < 1 || count > n) {
            throw new IllegalArgumentException(source.name() + ": cannot draw " + count + " of its " + n + " images");
        }
        int[] order = Training.permutation(n, new SplittableRandom(seed), count);
        int[] drawn = Arrays.copyOf(order, count);
        int[] rest = Arrays.copyOfRange(order, count, n);
        Arrays.sort(drawn);
        Arrays.sort(rest);
        return new ImageSubset[] {new ImageSubset(drawnName, source, drawn),
                rest.length == 0 ? null : new ImageSubset(restName, source, rest)};
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public boolean labelled() {
        return source.labelled();
    }

    /** The chosen positions, ascending. */
    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public void forEachBatch(int batchSize, Consumer<ImageBatch> consumer) throws IOException {
        ImageSource.requireBatchSize(batchSize);
        Batcher out = new Batcher(batchSize, consumer);
        int[] seen = {0};
        int[] next = {0};
        source.forEachBatch(batchSize, batch -> {
            int values = batch.imageValues();
            for (int i = 0; i < batch.size() && next[0] < indices.length; i++) {
                if (seen[0] + i == indices[next[0]]) {
                    out.add(batch, i, values);
                    next[0]++;
                }
            }
            seen[0] += batch.size();
        });
        out.flush();
        if (next[0] != indices.length) {
            throw new IllegalStateException(source.name() + " gave " + seen[0] + " images, not " + source.size());
        }
    }

    /** Collects chosen images into batches of {@code batchSize}. */
    private static final class Batcher {
        private final int batchSize;
        private final Consumer<ImageBatch> consumer;
        private float[] pixels;
        private int[] labels;
        private int count;

        Batcher(int batchSize, Consumer<ImageBatch> consumer) {
            this.batchSize = batchSize;
            this.consumer = consumer;
        }

        void add(ImageBatch batch, int i, int values) {
            if (pixels == null) {
                pixels = new float[batchSize * values];
                labels = batch.labelled() ? new int[batchSize] : null;
            }
            System.arraycopy(batch.pixels(), i * values, pixels, count * values, values);
            if (labels != null) {
                labels[count] = batch.labels()[i];
            }
            if (++count == batchSize) {
                flush();
            }
        }

        void flush() {
            if (count == 0) {
                return;
            }
            int values = pixels.length / batchSize;
            consumer.accept(new ImageBatch(Arrays.copyOf(pixels, count * values),
                    labels == null ? null : Arrays.copyOf(labels, count), count));
            pixels = null;
            count = 0;
        }
    }
}
