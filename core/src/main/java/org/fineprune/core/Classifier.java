package org.fineprune.core;

/** Anything that assigns a class to each image of a batch: a BadNet, a pruned BadNet, a GoodNet. */
@FunctionalInterface
public interface Classifier {
    /** The class of each image of {@code batch}, in order. */
    int[] classify(ImageBatch batch);
}
