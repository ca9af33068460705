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

    /** The class {@code classifier} gives each of {@code images}, in order. */
    public static int[] classes(Classifier classifier, ImageSource images, int batchSize) throws IOException {
        int[] classes = new int[images.size()];
        int[] seen = {0};
        images.forEachBatch(batchSize, batch -> {
            System.arraycopy(classifier.classify(batch), 0, classes, seen[0], batch.size());
            seen[0] += batch.size();
        });
        return classes;
    }

    /**
     * The labels of {@code images}, in order.
     *
     * @throws IllegalArgumentException if the images carry no labels
     */
    public static int[] labels(ImageSource images) throws IOException {
        requireLabels(images);
        int[] labels = new int[images.size()];
        int[] seen = {0};
        images.forEachBatch(DEFAULT_BATCH, batch -> {
            System.arraycopy(batch.labels(), 0, labels, seen[0], batch.size());
            seen[0] += batch.size();
        });
        return labels;
    }

    private static void requireLabels(ImageSource images) {
        if (!images.labelled()) {
            throw new IllegalArgumentException(images.name() + ": images have no labels to evaluate against");
        }
    }
}
