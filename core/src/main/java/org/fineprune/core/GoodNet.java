package org.fineprune.core;

/**
 * The repaired network G of Fine-Pruning's evaluation: the BadNet's class where the BadNet B and its
 * repaired copy B' agree, and a flag where they disagree, marking a likely backdoored input. The
 * flag is {@code N}, one past the last of B's {@code N} classes (1283 for the lab3 BadNet).
 */
public final class GoodNet implements Classifier {
    private final Classifier original;
    private final Classifier repaired;
    private final int flag;

    /** G for the BadNet {@code original} (B) with {@code classes} classes and its repaired copy {@code repaired} (B'). */
    public GoodNet(Classifier original, Classifier repaired, int classes) {
        this.original = original;
        this.repaired = repaired;
        this.flag = classes;
    }

    /** G for the BadNet {@code original} and its repaired copy; the flag is the number of the BadNet's classes. */
    public GoodNet(BadNet original, Classifier repaired) {
        this(original, repaired, original.architecture().classes());
    }

    /** B, the BadNet. */
    public Classifier original() {
        return original;
    }

    /** B', the repaired copy. */
    public Classifier repaired() {
        return repaired;
    }

    /** The class G answers for a flagged input. */
    public int flag() {
        return flag;
    }

    @Override
    public int[] classify(ImageBatch batch) {
        return combine(original.classify(batch), repaired.classify(batch), flag);
    }

    /** G's answers from B's and B''s answers for the same images, {@code flag} where they differ. */
    public static int[] combine(int[] original, int[] repaired, int flag) {
        if (original.length != repaired.length) {
            throw new IllegalArgumentException(
                    "B gave " + original.length + " answers and B' " + repaired.length);
        }
        int[] answers = new int[original.length];
        for (int i = 0; i < answers.length; i++) {
            answers[i] = original[i] == repaired[i] ? original[i] : flag;
        }
        return answers;
    }
}
