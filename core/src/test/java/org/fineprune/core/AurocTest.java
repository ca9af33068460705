package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AurocTest {
    /** The definition: the share of (positive, negative) pairs the positive wins, a tie counting half. */
    private static double byPairs(double[] positives, double[] negatives) {
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / (positives.length * negatives.length);
    }

    @Test
    void equals_the_pair_count_formula_on_a_hand_made_list_with_ties() {
        double[] poisoned = {0.9, 0.8, 0.8, 0.3, 0.1};
        double[] clean = {0.8, 0.5, 0.3, 0.3, 0.2, 0.0};
        // 30 pairs: 0.9 wins 6; each 0.8 wins 5, ties 1 (11); 0.3 wins 2, ties 2 (3); 0.1 wins 1.
        assertEquals((6 + 5.5 + 5.5 + 3 + 1) / 30.0, Auroc.of(poisoned, clean), 1e-12);
        assertEquals(byPairs(poisoned, clean), Auroc.of(poisoned, clean), 1e-12);
    }

    @Test
    void is_one_for_perfect_scores_zero_for_inverted_and_half_for_all_equal() {
        assertEquals(1.0, Auroc.of(new double[] {3, 4}, new double[] {1, 2, 2.5}));
        assertEquals(0.0, Auroc.of(new double[] {1, 2, 2.5}, new double[] {3, 4}));
        assertEquals(0.5, Auroc.of(new double[] {7, 7}, new double[] {7, 7, 7}));
    }

    @Test
    void agrees_with_the_pair_count_on_random_scores_with_many_ties() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        double[] positives = random.ints(200, 0, 20).asDoubleStream().toArray();
        double[] negatives = random.ints(300, 0, 15).asDoubleStream().toArray();
        assertEquals(byPairs(positives, negatives), Auroc.of(positives, negatives), 1e-12);
    }

    @Test
    void refuses_an_empty_side_or_nan() {
        assertThrows(IllegalArgumentException.class, () -> Auroc.of(new double[0], new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Auroc.of(new double[] {Double.NaN}, new double[] {1}));
    }

    @Test
    void by_labels_is_the_auroc_of_the_two_classes_and_null_without_one_of_them() {
        assertEquals(0.75, Auroc.of(new double[] {0.9, 0.1, 0.2, 0.3}, new boolean[] {true, false, true, false}));
        assertNull(Auroc.of(new double[] {1, 2}, new boolean[] {false, false}));
        assertThrows(IllegalArgumentException.class, () -> Auroc.of(new double[1], new boolean[2]));
    }
}
