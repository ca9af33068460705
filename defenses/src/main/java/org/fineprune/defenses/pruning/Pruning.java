package org.fineprune.defenses.pruning;

/** Entry point of the pruning defenses for experiment code: {@code Pruning.meanActivation().layer("conv_4")}. */
public final class Pruning {
    private Pruning() {}

    /** Mean-activation pruning with the lab's settings ({@link PruningConfig#lab()}). */
    public static PruningConfig meanActivation() {
        return PruningConfig.lab();
    }
}
