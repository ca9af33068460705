package org.fineprune.core;

/**
 * Told when each phase of a long computation starts (training a BadNet, a defense, a sweep point);
 * the listener it returns follows that phase's steps. The command line draws it as progress bars;
 * a program that wants nothing shown passes {@link #NONE}.
 */
@FunctionalInterface
public interface Progress {
    /** Shows nothing. */
    Progress NONE = phase -> StepListener.NONE;

    /** Called when {@code phase} starts; the listener returned is told of its steps. */
    StepListener start(String phase);
}
