package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AurocTest {
    @Test
    void is_one_when_every_positive_scores_above_every_negative_and_zero_when_below() {
        boolean[] positive = {true, false, true, false};
        assertEquals(1.0, Auroc.of(new double[] {5, 1, 4, 2}, positive));
        assertEquals(0.0, Auroc.of(new double[] {1, 5, 2, 4}, positive));
    }

    @Test
    void counts_pairs_and_ties_half() {
        // Positives 3 and 1, negatives 2 and 1: pairs (3>2) 1, (3>1) 1, (1<2) 0, (1=1) 0.5.
        assertEquals(2.5 / 4, Auroc.of(new double[] {3, 1, 2, 1}, new boolean[] {true, true, false, false}));
        assertEquals(0.5, Auroc.of(new double[] {7, 7, 7}, new boolean[] {true, false, false}));
    }

    @Test
    void is_null_without_positives_or_negatives_and_refuses_unequal_lengths() {
        assertNull(Auroc.of(new double[] {1, 2}, new boolean[] {false, false}));
        assertThrows(IllegalArgumentException.class, () -> Auroc.of(new double[1], new boolean[2]));
    }
}
