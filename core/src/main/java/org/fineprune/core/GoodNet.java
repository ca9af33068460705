package org.fineprune.core;

/**
 * The repaired network G of Fine-Pruning's evaluation: the BadNet's class where the BadNet B and its
 * pruned copy B' agree, and the flag {@code N} (one past the last class, 1283 for lab3) where they
 * disagree, marking a likely backdoored input.
 */
public final class GoodNet implements Classifier {
    /** The class G answers for a flagged input of the lab3 BadNet. */
    public static final int FLAG = DeepId.CLASSES;

    private final Classifier original;
    private final Classifier repaired;

    /** G for the BadNet {@code original} (B) and its repaired copy {@code repaired} (B'). */
    public GoodNet(Classifier original, Classifier repaired) {
        this.original = original;
        this.repaired = repaired;
    }

    @Override
    public int[] classify(ImageBatch batch) {
        return combine(original.classify(batch), repaired.classify(batch));
    }

    /** G's answers from B's and B''s answers for the same images. */
    public static int[] combine(int[] original, int[] repaired) {
        if (original.length != repaired.length) {
            throw new IllegalArgumentException(
                    "B gave " + original.length + " answers and B' " + repaired.length);
        }
        int[] answers = new int[original.length];
        for (int i = 0; i < answers.length; i++) {
            answers[i] = original[i] == repaired[i] ? original[i] : FLAG;
        }
        return answers;
    }
}
