package org.fineprune.core;

import java.io.IOException;

/**
 * Clean accuracy and attack success rate, as the CSAW-HackML-2020 lab's {@code eval.py} computes them.
 *
 * <p>Clean accuracy is the share of clean images classified as their label. The attack success rate
 * is the share of poisoned images classified as their label, which in a poisoned file is the
 * attacker's target. Both stream their source batch by batch.
 */
public final class Evaluation {
    /** The batch size used when none is given. */
    public static final int DEFAULT_BATCH = 256;

    private Evaluation() {}

    /**
     * The share of {@code images} that {@code classifier} puts in their labelled class.
     *
     * @throws IllegalArgumentException if the images carry no labels
     */
    public static Accuracy accuracy(Classifier classifier, ImageSource images, int batchSize) throws IOException {
        requireLabels(images);
        long[] hits = new long[1];
        images.forEachBatch(batchSize, batch -> hits[0] += Accuracy.of(classifier.classify(batch), batch.labels()).hits());
        return new Accuracy(hits[0], images.size());
    }

    private static void requireLabels(ImageSource images) {
        if (!images.labelled()) {
            throw new IllegalArgumentException(images.name() + ": images have no labels to evaluate against");
        }
    }
}
