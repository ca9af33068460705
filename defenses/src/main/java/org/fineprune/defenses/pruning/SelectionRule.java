package org.fineprune.defenses.pruning;

import java.util.Arrays;
import java.util.Locale;

/** Which pruned model a sweep keeps for an accuracy-drop threshold. */
public enum SelectionRule {
    /** The lab's rule: the first pruned model whose validation accuracy drop is at least the threshold. */
    FIRST_OVER("first-over"),
    /** The model just before that one: the last whose drop is still below the threshold. */
    LAST_UNDER("last-under");

    private final String label;

    SelectionRule(String label) {
        this.label = label;
    }

    /** The name used on the command line and in outputs. */
    public String label() {
        return label;
    }

    /**
     * The rule called {@code label} ({@code first-over} or {@code last-under}).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static SelectionRule fromLabel(String label) {
        return Arrays.stream(values())
                .filter(r -> r.label.equals(label.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown rule '" + label + "'; rules: first-over, last-under"));
    }

    /**
     * How many of {@code steps} pruning steps the kept model has, given the first step whose drop
     * reached the threshold ({@code -1} if none did: then every step is kept).
     */
    public int pruned(int firstOver, int steps) {
        if (firstOver < 0) {
            return steps;
        }
        return this == FIRST_OVER ? firstOver : firstOver - 1;
    }

    @Override
    public String toString() {
        return label;
    }
}
