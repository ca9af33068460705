package org.fineprune.core;

/** Told how far a long computation has got, for progress displays. */
@FunctionalInterface
public interface StepListener {
    /** Ignores every step. */
    StepListener NONE = (done, total) -> {};

    /** Called after each of {@code total} steps with the number done so far. */
    void onStep(int done, int total);
}
