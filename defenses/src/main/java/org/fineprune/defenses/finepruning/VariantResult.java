package org.fineprune.defenses.finepruning;

import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.defenses.pruning.Outcome;

/**
 * One defense's repaired model B' and its GoodNet G, scored.
 *
 * @param variant the defense
 * @param prunedChannels the channels B' prunes, by layer (empty for fine-tuning alone)
 * @param validAccuracy B''s accuracy on the clean validation images, in percent
 * @param repaired B''s clean accuracy and attack success rate on the test sets
 * @param robust B''s robust accuracy: triggered test images classified as their true class; over no
 *     images (percent NaN) where the true classes are unknown
 * @param goodNet G's (a flagged input is never a hit)
 * @param poisonedFlagged poisoned test images that G flags
 * @param cleanFlagged clean test images that G flags
 * @param seconds wall time of the defense itself (ranking, pruning, fine-tuning), not of scoring
 */
public record VariantResult(Variant variant, Map<String, int[]> prunedChannels, double validAccuracy,
        Outcome repaired, Accuracy robust, Outcome goodNet, Accuracy poisonedFlagged, Accuracy cleanFlagged, double seconds) {
    /** The number of pruned channels over all layers. */
    public int prunedCount() {
        return prunedChannels.values().stream().mapToInt(c -> c.length).sum();
    }
}
