package org.fineprune.core;

/**
 * An input detector whose one pass over a batch gives both its answer for each image (the class,
 * or N for a flagged one, as the {@link GoodNet}) and its {@link SuspicionScores suspicion}, as
 * STRIP's superimpositions give the entropy that both flags and scores an image. Whoever needs both,
 * such as a scorer measuring flag rates and the area under the ROC curve, asks {@link #answer} once
 * instead of running the detector twice.
 */
public interface ScoringDetector extends Classifier, SuspicionScores {
    /**
     * The answers for one batch.
     *
     * @param classes the detector's class for each image, in order
     * @param suspicion the suspicion of each image, in order; higher is more suspicious
     */
    record Answers(int[] classes, double[] suspicion) {
        /** Checks that there is one class and one score per image. */
        public Answers {
            if (classes.length != suspicion.length) {
                throw new IllegalArgumentException(classes.length + " classes but " + suspicion.length
                        + " suspicion scores");
            }
        }
    }

    /** The class and suspicion of each image of {@code batch}, from one pass. */
    Answers answer(ImageBatch batch);

    @Override
    default int[] classify(ImageBatch batch) {
        return answer(batch).classes();
    }

    @Override
    default double[] suspicion(ImageBatch batch) {
        return answer(batch).suspicion();
    }
}
