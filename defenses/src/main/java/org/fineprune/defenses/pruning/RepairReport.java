package org.fineprune.defenses.pruning;

import java.util.List;
import org.fineprune.core.Accuracy;

/**
 * Test-set scores of a BadNet and of the repaired models chosen for each threshold.
 *
 * @param original the BadNet B
 * @param rows one row per selected threshold
 */
public record RepairReport(Outcome original, List<Row> rows) {
    /**
     * One threshold's pruned model B' and GoodNet G.
     *
     * @param selection the pruned model
     * @param repaired B''s scores
     * @param goodNet G's scores (a flagged input is never a hit)
     * @param poisonedFlagged poisoned images that G flags as class N
     * @param cleanFlagged clean images that G flags as class N
     */
    public record Row(Selection selection, Outcome repaired, Outcome goodNet, Accuracy poisonedFlagged,
            Accuracy cleanFlagged) {}
}
