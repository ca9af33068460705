package org.fineprune.defenses.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fineprune.core.DeepId;
import org.fineprune.core.SmallCnn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ranking, selection and settings of a pruning sweep, on hand-made numbers (no engine). */
class PruningCurveTest {
    /** A curve over {@code accuracies.length} channels pruned in index order. */
    private static PruningCurve curve(double baseline, double... accuracies) {
        int n = accuracies.length;
        int[] order = new int[n];
        double[] means = new double[n];
        for (int c = 0; c < n; c++) {
            order[c] = n - 1 - c; // pruning order differs from index order, so channels() shows it
            means[n - 1 - c] = c;
        }
        return new PruningCurve("conv_3", "pool_3", means, order, baseline, accuracies);
    }

    @Test
    void rank_sorts_ascending_and_breaks_ties_by_channel_index() {
        double[] means = {0.5, 0.0, 2.0, 0.0, 0.5, 1e-9, 0.0, 0.0, 3.0, 0.25};
        assertArrayEquals(new int[] {1, 3, 6, 7, 5, 9, 0, 4, 2, 8}, PruningCurve.rank(means));
    }

    @Test
    void rank_of_all_equal_means_is_index_order() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, PruningCurve.rank(new double[5]));
    }

    @Test
    void rank_matches_a_stable_sort_by_mean_on_random_means_with_many_ties() {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 50; trial++) {
            double[] means = new double[60];
            for (int c = 0; c < means.length; c++) {
                means[c] = random.nextInt(3) == 0 ? 0.0 : random.nextInt(8) / 4.0;
            }
            List<Integer> expected = new ArrayList<>();
            for (int c = 0; c < means.length; c++) {
                expected.add(c);
            }
            // List.sort is a stable merge sort, so equal means keep ascending index.
            expected.sort((a, b) -> Double.compare(means[a], means[b]));
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), PruningCurve.rank(means));
        }
    }

    @Test
    void rank_does_not_change_the_means() {
        double[] means = {3, 1, 2};
        PruningCurve.rank(means);
        assertArrayEquals(new double[] {3, 1, 2}, means);
    }

    @Test
    void drop_and_accuracy_at_zero_pruned_are_the_baseline() {
        PruningCurve curve = curve(90, 89, 80, 50);
        assertEquals(0, curve.drop(0));
        assertEquals(90, curve.accuracy(0));
        assertEquals(1, curve.drop(1));
        assertEquals(89, curve.accuracy(1));
        assertEquals(40, curve.drop(3));
        assertEquals(50, curve.accuracy(3));
        assertArrayEquals(new int[0], curve.firstChannels(0));
        assertArrayEquals(new int[] {2, 1}, curve.firstChannels(2));
    }

    @Test
    void first_over_keeps_the_first_step_whose_drop_reaches_the_threshold() {
        // drops: 1, 1, 3, 5, 20, 45
        PruningCurve curve = curve(95, 94, 94, 92, 90, 75, 50);
        List<Selection> selections = curve.select(List.of(2.0, 5.0, 10.0, 45.0), SelectionRule.FIRST_OVER);
        assertEquals(4, selections.size());
        assertSelection(selections.get(0), 2.0, SelectionRule.FIRST_OVER, true, 3, 92, new int[] {5, 4, 3});
        // a drop exactly equal to the threshold counts as reaching it
        assertSelection(selections.get(1), 5.0, SelectionRule.FIRST_OVER, true, 4, 90, new int[] {5, 4, 3, 2});
        assertSelection(selections.get(2), 10.0, SelectionRule.FIRST_OVER, true, 5, 75, new int[] {5, 4, 3, 2, 1});
        assertSelection(selections.get(3), 45.0, SelectionRule.FIRST_OVER, true, 6, 50,
                new int[] {5, 4, 3, 2, 1, 0});
    }

    @Test
    void last_under_keeps_the_step_before_the_first_over() {
        PruningCurve curve = curve(95, 94, 94, 92, 90, 75, 50);
        List<Selection> selections = curve.select(List.of(2.0, 5.0, 10.0, 45.0), SelectionRule.LAST_UNDER);
        assertSelection(selections.get(0), 2.0, SelectionRule.LAST_UNDER, true, 2, 94, new int[] {5, 4});
        assertSelection(selections.get(1), 5.0, SelectionRule.LAST_UNDER, true, 3, 92, new int[] {5, 4, 3});
        assertSelection(selections.get(2), 10.0, SelectionRule.LAST_UNDER, true, 4, 90, new int[] {5, 4, 3, 2});
        assertSelection(selections.get(3), 45.0, SelectionRule.LAST_UNDER, true, 5, 75, new int[] {5, 4, 3, 2, 1});
    }

    @Test
    void last_under_can_keep_the_unpruned_model_when_the_first_step_already_drops_too_much() {
        PruningCurve curve = curve(95, 80, 70);
        Selection first = curve.select(List.of(10.0), SelectionRule.FIRST_OVER).get(0);
        Selection last = curve.select(List.of(10.0), SelectionRule.LAST_UNDER).get(0);
        assertSelection(first, 10.0, SelectionRule.FIRST_OVER, true, 1, 80, new int[] {1});
        assertSelection(last, 10.0, SelectionRule.LAST_UNDER, true, 0, 95, new int[0]);
    }

    @Test
    void a_threshold_never_reached_keeps_every_channel_pruned_and_says_so() {
        PruningCurve curve = curve(95, 94, 93, 90);
        for (SelectionRule rule : SelectionRule.values()) {
            Selection s = curve.select(List.of(2.0, 50.0), rule).get(1);
            assertSelection(s, 50.0, rule, false, 3, 90, new int[] {2, 1, 0});
            assertTrue(curve.select(List.of(2.0, 50.0), rule).get(0).reached(), rule + ": 2 points is reached");
        }
    }

    @Test
    void a_non_monotonic_curve_selects_the_first_crossing_not_a_later_one() {
        // drops: 0, 6, 1, 2, 7, 12 — accuracy recovers after step 2, then falls again.
        PruningCurve curve = curve(90, 90, 84, 89, 88, 83, 78);
        List<Selection> first = curve.select(List.of(2.0, 5.0, 10.0), SelectionRule.FIRST_OVER);
        assertEquals(List.of(2, 2, 6), first.stream().map(Selection::pruned).toList());
        assertEquals(84, first.get(0).validAccuracy());
        List<Selection> last = curve.select(List.of(2.0, 5.0, 10.0), SelectionRule.LAST_UNDER);
        assertEquals(List.of(1, 1, 5), last.stream().map(Selection::pruned).toList());
        assertEquals(83, last.get(2).validAccuracy());
        // an accuracy rise above the baseline is a negative drop, never a crossing
        PruningCurve rising = curve(90, 92, 95, 87);
        assertEquals(3, rising.select(List.of(2.0), SelectionRule.FIRST_OVER).get(0).pruned());
        assertEquals(-5.0, rising.drop(2));
    }

    @Test
    void selections_come_in_threshold_order_as_given() {
        PruningCurve curve = curve(95, 94, 92, 90, 75);
        List<Selection> selections = curve.select(List.of(10.0, 2.0), SelectionRule.FIRST_OVER);
        assertEquals(List.of(10.0, 2.0), selections.stream().map(Selection::drop).toList());
        assertEquals(List.of(4, 2), selections.stream().map(Selection::pruned).toList());
        assertTrue(curve.select(List.of(), SelectionRule.FIRST_OVER).isEmpty());
    }

    @Test
    void selected_channels_are_a_copy() {
        PruningCurve curve = curve(95, 90, 80, 70);
        Selection s = curve.select(List.of(2.0), SelectionRule.FIRST_OVER).get(0);
        s.channels()[0] = 99;
        assertArrayEquals(new int[] {2}, curve.firstChannels(1));
    }

    @Test
    void curve_needs_one_mean_order_entry_and_accuracy_per_channel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PruningCurve("conv_3", "pool_3", new double[3], new int[] {0, 1, 2}, 90,
                        new double[2]));
        assertTrue(e.getMessage().contains("one accuracy per channel"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new PruningCurve("conv_3", "pool_3", new double[2], new int[] {0, 1, 2}, 90,
                        new double[3]));
    }

    @Test
    void a_drop_of_exactly_the_threshold_is_reached_despite_float_rounding() {
        double baseline = new org.fineprune.core.Accuracy(98, 150).percent();
        double after = new org.fineprune.core.Accuracy(95, 150).percent();
        PruningCurve curve = curve(baseline, after, after);
        Selection s = curve.select(List.of(2.0), SelectionRule.FIRST_OVER).get(0);
        assertTrue(s.reached(), "a drop of 3 images in 150 is exactly 2 points");
        assertEquals(1, s.pruned());
    }

    // ---- PruningConfig ----

    @Test
    void lab_config_prunes_conv_3_ranked_by_pool_3_with_the_lab_thresholds() {
        PruningConfig lab = PruningConfig.lab();
        assertEquals("conv_3", lab.layer());
        assertEquals(null, lab.rankingLayer(), "the network's default");
        assertEquals("pool_3", lab.resolve(DeepId.INSTANCE).rankingLayer());
        assertEquals(List.of(2.0, 4.0, 10.0, 30.0), lab.drops());
        assertSame(SelectionRule.FIRST_OVER, lab.rule());
        assertFalse(lab.fullForward());
        assertTrue(lab.fullForward(true).fullForward());
        assertEquals(32, lab.batchSize(32).batchSize());
        assertSame(SelectionRule.LAST_UNDER, lab.rule(SelectionRule.LAST_UNDER).rule());
    }

    @Test
    void pruning_entry_point_gives_the_lab_config_and_drops_accept_plain_numbers() {
        assertEquals(PruningConfig.lab(), Pruning.meanActivation());
        assertEquals(List.of(1.0, 5.0), PruningConfig.lab().drops(1, 5).drops());
        assertEquals("conv_3", PruningConfig.lab().rankingLayer("conv_3").rankingLayer());
    }

    @Test
    void a_new_layer_takes_its_default_ranking_layer() {
        assertEquals("pool_1", PruningConfig.lab().layer("conv_1").resolve(DeepId.INSTANCE).rankingLayer());
        assertEquals("pool_2", PruningConfig.lab().layer("conv_2").resolve(DeepId.INSTANCE).rankingLayer());
        assertEquals("conv_4", PruningConfig.lab().layer("conv_4").resolve(DeepId.INSTANCE).rankingLayer());
    }

    @Test
    void config_copies_the_threshold_list() {
        List<Double> drops = new ArrayList<>(List.of(2.0, 4.0));
        PruningConfig config = PruningConfig.lab().drops(drops);
        drops.add(50.0);
        assertEquals(List.of(2.0, 4.0), config.drops());
        assertThrows(UnsupportedOperationException.class, () -> config.drops().add(1.0));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1.0, -0.0, 100.0, 150.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY})
    void config_rejects_thresholds_outside_0_to_100(double drop) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PruningConfig.lab().drops(List.of(2.0, drop)));
        assertTrue(e.getMessage().contains("threshold " + drop), e.getMessage());
        assertTrue(e.getMessage().contains("outside (0, 100)"), e.getMessage());
    }

    @Test
    void config_accepts_thresholds_just_inside_the_bounds() {
        assertEquals(List.of(Double.MIN_VALUE, 99.999),
                PruningConfig.lab().drops(List.of(Double.MIN_VALUE, 99.999)).drops());
    }

    @Test
    void config_rejects_an_empty_threshold_list() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PruningConfig.lab().drops(List.of()));
        assertTrue(e.getMessage().contains("at least one accuracy-drop threshold"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pool_3", "fc_1", "nope", "output", "conv_9", "CONV_3", ""})
    void config_rejects_a_layer_that_is_not_a_convolution(String layer) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PruningConfig.lab().layer(layer).resolve(DeepId.INSTANCE));
        assertTrue(e.getMessage().contains("'" + layer + "' is not a convolution layer"), e.getMessage());
        assertTrue(e.getMessage().contains("[conv_1, conv_2, conv_3, conv_4]"), e.getMessage());
    }

    @Test
    void config_checks_the_layer_against_the_network_it_prunes() {
        assertEquals("pool_2", PruningConfig.lab().layer("conv_2").resolve(SmallCnn.INSTANCE).rankingLayer());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PruningConfig.lab().resolve(SmallCnn.INSTANCE));
        assertTrue(e.getMessage().contains("'conv_3' is not a convolution layer of small-cnn"), e.getMessage());
    }

    @Test
    void config_rejects_an_unknown_ranking_layer_and_lists_the_layers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PruningConfig("conv_3", "pool_9", PruningConfig.DEFAULT_DROPS, SelectionRule.FIRST_OVER,
                        256, false).resolve(DeepId.INSTANCE));
        assertTrue(e.getMessage().contains("'pool_9'"), e.getMessage());
        assertTrue(e.getMessage().contains("pool_3"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pool_2", "fc_1", "input", "conv_4", "pool_1"})
    void config_rejects_a_ranking_layer_that_does_not_have_the_pruned_layers_channels(String ranking) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PruningConfig("conv_3", ranking, PruningConfig.DEFAULT_DROPS, SelectionRule.FIRST_OVER,
                        256, false).resolve(DeepId.INSTANCE));
        assertTrue(e.getMessage().contains("'" + ranking + "'"), e.getMessage());
    }

    @Test
    void config_accepts_the_pruned_layer_itself_as_ranking_layer() {
        assertEquals("conv_3", new PruningConfig("conv_3", "conv_3", PruningConfig.DEFAULT_DROPS,
                SelectionRule.FIRST_OVER, 256, false).resolve(DeepId.INSTANCE).rankingLayer());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void config_rejects_a_batch_size_below_one(int batch) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PruningConfig.lab().batchSize(batch));
        assertTrue(e.getMessage().contains("batch size must be positive, got " + batch), e.getMessage());
    }

    @Test
    void config_rejects_a_missing_rule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PruningConfig.lab().rule(null));
        assertTrue(e.getMessage().contains("selection rule"), e.getMessage());
    }

    // ---- SelectionRule ----

    @Test
    void rule_labels_round_trip_and_ignore_case() {
        for (SelectionRule rule : SelectionRule.values()) {
            assertSame(rule, SelectionRule.fromLabel(rule.label()));
            assertSame(rule, SelectionRule.fromLabel(rule.label().toUpperCase(java.util.Locale.ROOT)));
            assertEquals(rule.label(), rule.toString());
        }
        assertEquals("first-over", SelectionRule.FIRST_OVER.label());
        assertEquals("last-under", SelectionRule.LAST_UNDER.label());
    }

    @ParameterizedTest
    @ValueSource(strings = {"FIRST_OVER", "first_over", "firstover", "", " first-over", "last"})
    void unknown_rule_labels_are_rejected_with_the_choices(String label) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelectionRule.fromLabel(label));
        assertEquals("unknown rule '" + label + "'; rules: first-over, last-under", e.getMessage());
    }

    private static void assertSelection(Selection s, double drop, SelectionRule rule, boolean reached, int pruned,
            double validAccuracy, int[] channels) {
        String what = "selection for " + drop + " (" + rule + ")";
        assertEquals(drop, s.drop(), what);
        assertSame(rule, s.rule(), what);
        assertEquals(reached, s.reached(), what + ": reached");
        assertEquals(pruned, s.pruned(), what + ": pruned");
        assertEquals(validAccuracy, s.validAccuracy(), what + ": valid accuracy");
        assertArrayEquals(channels, s.channels(), what + ": channels " + Arrays.toString(s.channels()));
    }
}
