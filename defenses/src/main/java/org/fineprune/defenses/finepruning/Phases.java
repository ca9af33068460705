package org.fineprune.defenses.finepruning;

import org.fineprune.core.StepListener;

/** Told when each phase of a long computation starts; the listener it returns follows that phase's steps. */
@FunctionalInterface
public interface Phases {
    /** Ignores every phase. */
    Phases NONE = phase -> StepListener.NONE;

    /** Called when {@code phase} (for example {@code fine-tuning}) starts. */
    StepListener start(String phase);
}
