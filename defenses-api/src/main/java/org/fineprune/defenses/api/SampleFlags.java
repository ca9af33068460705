package org.fineprune.defenses.api;

import java.util.Objects;

/**
 * What a training-set detector says about each sample of the training set it inspected, in the
 * set's order: whether it flags the sample as poisoned, and its suspicion score (higher is more
 * suspect), from which a scorer draws the ROC curve.
 *
 * @param flagged whether each sample is flagged
 * @param scores each sample's suspicion score
 */
public record SampleFlags(boolean[] flagged, double[] scores) {
    /** Checks that there is one flag and one finite score per sample, and copies them. */
    public SampleFlags {
        Objects.requireNonNull(flagged, "flagged");
        Objects.requireNonNull(scores, "scores");
        if (flagged.length != scores.length) {
            throw new IllegalArgumentException(flagged.length + " flags but " + scores.length + " scores");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("score of sample " + i + " is " + scores[i]);
            }
        }
        flagged = flagged.clone();
        scores = scores.clone();
    }

    /** The number of samples. */
    public int size() {
        return flagged.length;
    }

    /** The number of flagged samples. */
    public int flaggedCount() {
        int count = 0;
        for (boolean f : flagged) {
            count += f ? 1 : 0;
        }
        return count;
    }

    /** The flags: a copy. */
    @Override
    public boolean[] flagged() {
        return flagged.clone();
    }

    /** The scores: a copy. */
    @Override
    public double[] scores() {
        return scores.clone();
    }
}
