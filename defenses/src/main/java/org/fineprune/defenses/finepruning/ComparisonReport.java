package org.fineprune.defenses.finepruning;

import java.util.List;
import org.fineprune.core.Accuracy;
import org.fineprune.defenses.pruning.Outcome;

/**
 * The outcome of {@link FinePruning#compare}: the BadNet's own scores and each defense's.
 *
 * @param original the BadNet B's clean accuracy and attack success rate on the test sets
 * @param originalRobust B's robust accuracy: triggered test images classified as their true class;
 *     over no images (percent NaN) where the true classes are unknown
 * @param originalValidAccuracy B's accuracy on the clean validation images, in percent
 * @param variants one result per defense, in the order of {@link Variant}
 */
public record ComparisonReport(Outcome original, Accuracy originalRobust, double originalValidAccuracy, List<VariantResult> variants) {
    /** Copies the list. */
    public ComparisonReport {
        variants = List.copyOf(variants);
    }

    /**
     * The result of {@code variant}.
     *
     * @throws IllegalArgumentException if the comparison did not run it
     */
    public VariantResult result(Variant variant) {
        return variants.stream().filter(v -> v.variant() == variant).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for " + variant));
    }
}
