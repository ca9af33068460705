package org.fineprune.core;

/**
 * An input detector's graded answer: how suspicious each image is, higher meaning more likely
 * backdoored. A detector that flags by a threshold gives these as well, so that its area under the
 * ROC curve is measured over every threshold and not only its own.
 */
@FunctionalInterface
public interface SuspicionScores {
    /** The suspicion of each image of {@code batch}, in order; higher is more suspicious. */
    double[] suspicion(ImageBatch batch);
}
