package org.fineprune.core;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A finite collection of face images that is read batch by batch, so that a large file is never
 * held in memory at once.
 */
public interface ImageSource {
    /** A name for messages and records, usually the file the images come from. */
    String name();

    /** The number of images. */
    int size();

    /** Whether the images carry labels. */
    boolean labelled();

    /**
     * Reads the images in order and hands them to {@code consumer} in batches of at most {@code
     * batchSize}. Each call reads the source afresh.
     *
     * @throws IOException if the underlying file cannot be read
     * @throws DataFormatException if the content is not what was expected (for example NaN pixels)
     */
    void forEachBatch(int batchSize, Consumer<ImageBatch> consumer) throws IOException;

    /**
     * Checks a batch size given to {@link #forEachBatch}.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    static void requireBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
    }
}
