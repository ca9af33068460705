package org.fineprune.defenses.pruning;

import org.fineprune.core.LayerChannel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Multi-layer pruning: the global and per-layer-fraction orders and the selection on hand-made
 * numbers, the settings' validation, and a sweep of a generated {@link SmallCnn} checked against
 * models pruned and evaluated in full.
 */
class MultiLayerPruningTest {
    private static final int IMAGES = 120;
    private static final ModelOptions OPTIONS = new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu");
    private static final List<String> LAYERS = List.of("conv_1", "conv_2");

    private static BadNet net;
    private static ArrayImages valid;
    /** The sweep most tests look at: both layers, one global ranking, in batches of 50. */
    private static MultiLayerCurve globalCurve;
    private static final List<int[]> globalSteps = new ArrayList<>();

    @BeforeAll
    static void generateNetAndImagesAndSweep() throws IOException {
        net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(3), OPTIONS);
        float[] pixels = BlobImages.generate(IMAGES, 9);
        // Labelled with the net's own classes, so that the unpruned net is right on every image; these
        // weights and images spread them over five classes, none with more than 45% of the images.
        int[] labels = net.classify(new ImageBatch(pixels, null, IMAGES));
        int[] histogram = histogram(labels);
        assertTrue(Arrays.stream(histogram).filter(h -> h > 0).count() >= 4
                && Arrays.stream(histogram).max().orElseThrow() <= 0.45 * IMAGES, Arrays.toString(histogram));
        valid = new ArrayImages("generated-valid", ImageShape.FASHION_MNIST, pixels, labels);
        MultiLayerConfig config = MultiLayerConfig.global(LAYERS).batchSize(50);
        MultiLayerPruning pruning = new MultiLayerPruning(config);
        assertSame(config, pruning.config());
        globalCurve = pruning.sweep(net, valid, (done, total) -> globalSteps.add(new int[] {done, total}));
    }

    @AfterAll
    static void closeNet() {
        if (net != null) {
            net.close();
        }
    }

    // ---- globalOrder ----

    @Test
    void global_order_ranks_means_divided_by_their_layers_mean_ties_by_layer_then_channel() {
        Map<String, double[]> means = new LinkedHashMap<>();
        means.put("a", new double[] {2, 0, 4}); // layer mean 2: scores 1, 0, 2
        means.put("b", new double[] {10, 30, 20}); // layer mean 20: scores 0.5, 1.5, 1
        // a:0 and b:2 both score exactly 1; a comes first as the earlier layer
        assertEquals(List.of(lc("a", 1), lc("b", 0), lc("a", 0), lc("b", 2), lc("b", 1), lc("a", 2)),
                MultiLayerPruning.globalOrder(means));
    }

    @Test
    void global_order_does_not_let_a_quiet_layer_go_first_because_of_its_scale() {
        Map<String, double[]> means = new LinkedHashMap<>();
        means.put("loud", new double[] {100, 300, 200, 400}); // mean 250: 0.4, 1.2, 0.8, 1.6
        means.put("quiet", new double[] {0.3, 0.1, 0.2}); // mean 0.2: 1.5, 0.5, 1.0
        assertEquals(List.of(lc("loud", 0), lc("quiet", 1), lc("loud", 2), lc("quiet", 2), lc("loud", 1),
                lc("quiet", 0), lc("loud", 3)), MultiLayerPruning.globalOrder(means));
    }

    @Test
    void a_silent_layer_scores_zero_everywhere_and_ties_go_by_layer_order_then_channel() {
        Map<String, double[]> means = new LinkedHashMap<>();
        means.put("a", new double[] {2, 0, 4}); // scores 1, 0, 2
        means.put("silent", new double[] {0, 0}); // mean 0: scores 0, 0 (not NaN)
        means.put("b", new double[] {0, 30, 30}); // mean 20: scores 0, 1.5, 1.5
        assertEquals(List.of(lc("a", 1), lc("silent", 0), lc("silent", 1), lc("b", 0), lc("a", 0), lc("b", 1),
                lc("b", 2), lc("a", 2)), MultiLayerPruning.globalOrder(means));
        // the same layers in another order: the silent layer's zeros now come first
        Map<String, double[]> reordered = new LinkedHashMap<>();
        reordered.put("silent", means.get("silent"));
        reordered.put("b", means.get("b"));
        reordered.put("a", means.get("a"));
        assertEquals(List.of(lc("silent", 0), lc("silent", 1), lc("b", 0), lc("a", 1), lc("a", 0), lc("b", 1),
                lc("b", 2), lc("a", 2)), MultiLayerPruning.globalOrder(reordered));
    }

    @Test
    void global_order_of_one_layer_is_the_single_layer_rank() {
        SplittableRandom random = new SplittableRandom(3);
        double[] m = new double[40];
        for (int c = 0; c < m.length; c++) {
            m[c] = random.nextInt(4) == 0 ? 0 : random.nextInt(6) * 0.5;
        }
        List<LayerChannel> order = MultiLayerPruning.globalOrder(Map.of("conv_3", m));
        assertArrayEquals(PruningCurve.rank(m), order.stream().mapToInt(LayerChannel::channel).toArray());
    }

    @Test
    void global_order_of_one_layer_keeps_means_apart_that_dividing_by_the_layer_mean_would_tie() {
        // channel 0's mean is one ulp above channel 1's; divided by the layer mean both round to one score
        double[] m = {0.566561575172281, 0.5665615751722809, 2.2373452717881035};
        double layerMean = Arrays.stream(m).average().orElseThrow();
        assertEquals(m[0] / layerMean, m[1] / layerMean);
        assertEquals(List.of(lc("conv_3", 1), lc("conv_3", 0), lc("conv_3", 2)),
                MultiLayerPruning.globalOrder(Map.of("conv_3", m)));
    }

    // ---- fractionOrder ----

    @Test
    void fraction_order_interleaves_each_layers_own_ranking_up_to_its_quota() {
        Map<String, double[]> means = new LinkedHashMap<>();
        means.put("a", new double[] {3, 1, 2, 0}); // rank 3, 1, 2, 0; half of 4: quota 2
        means.put("b", new double[] {5, 4, 3, 2, 1, 0}); // rank 5, 4, 3, ...; half of 6: quota 3
        Map<String, Double> fractions = Map.of("a", 0.5, "b", 0.5);
        // next step: the layer with the smallest (taken + 1) / quota, the earlier layer on ties:
        // b 1/3 < a 1/2; a 1/2 < b 2/3; b 2/3 < a 1; a 1 = b 1, a first; b
        assertEquals(List.of(lc("b", 5), lc("a", 3), lc("b", 4), lc("a", 1), lc("b", 3)),
                MultiLayerPruning.fractionOrder(means, fractions));
    }

    @Test
    void fraction_order_ignores_the_other_layers_scale() {
        // a's means are far larger than b's; each layer is ranked on its own all the same
        Map<String, double[]> means = new LinkedHashMap<>();
        means.put("a", new double[] {900, 700, 800, 1000});
        means.put("b", new double[] {0.2, 0.1});
        List<LayerChannel> order = MultiLayerPruning.fractionOrder(means, Map.of("a", 1.0, "b", 1.0));
        // quotas 4 and 2: a 1/4; a 2/4 = b 1/2, a first; b 1/2 < a 3/4; a 3/4 < b 1; a 1 = b 1, a first; b
        assertEquals(List.of(lc("a", 1), lc("a", 2), lc("b", 1), lc("a", 0), lc("a", 3), lc("b", 0)), order);
    }

    @Test
    void fraction_quota_is_the_floor_of_the_share_of_channels_despite_float_rounding() {
        // 0.29 * 100 is 28.999999999999996 in doubles; the quota is 29 all the same
        assertEquals(Map.of("a", 29), quotas(Map.of("a", 100), Map.of("a", 0.29)));
        assertEquals(Map.of("a", 3), quotas(Map.of("a", 10), Map.of("a", 0.35)));
        assertEquals(Map.of("a", 7), quotas(Map.of("a", 10), Map.of("a", 0.7)));
        assertEquals(Map.of("a", 60), quotas(Map.of("a", 60), Map.of("a", 1.0)));
        assertEquals(Map.of("a", 1), quotas(Map.of("a", 3), Map.of("a", 0.5)));
        // a share below one channel prunes nothing in that layer
        assertEquals(Map.of("b", 5), quotas(Map.of("a", 3, "b", 10), Map.of("a", 0.25, "b", 0.5)));
        Map<String, double[]> means = Map.of("a", new double[3]);
        assertTrue(MultiLayerPruning.fractionOrder(means, Map.of("a", 0.3)).isEmpty());
    }

    @Test
    void fraction_order_layers_reach_their_shares_together() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 30; trial++) {
            Map<String, double[]> means = new LinkedHashMap<>();
            Map<String, Double> fractions = new LinkedHashMap<>();
            int layers = 2 + random.nextInt(3);
            for (int l = 0; l < layers; l++) {
                double[] m = new double[1 + random.nextInt(80)];
                for (int c = 0; c < m.length; c++) {
                    m[c] = random.nextInt(5) == 0 ? 0 : random.nextDouble();
                }
                means.put("conv_" + (l + 1), m);
                fractions.put("conv_" + (l + 1), 0.05 + 0.95 * random.nextDouble());
            }
            List<LayerChannel> order = MultiLayerPruning.fractionOrder(means, fractions);
            Map<String, Integer> quota = new LinkedHashMap<>();
            means.forEach((l, m) -> quota.put(l, (int) Math.floor(fractions.get(l) * m.length + 1e-9)));
            String what = "trial " + trial + ": quotas " + quota;

            // each layer contributes exactly its quota, its own lowest means first, no channel twice
            for (String l : means.keySet()) {
                int[] taken = order.stream().filter(s -> s.layer().equals(l)).mapToInt(LayerChannel::channel)
                        .toArray();
                assertArrayEquals(Arrays.copyOf(PruningCurve.rank(means.get(l)), quota.get(l)), taken, what + " " + l);
            }
            assertEquals(quota.values().stream().mapToInt(Integer::intValue).sum(), order.size(), what);

            // no layer runs ahead: after every step, a layer's share never exceeds another
            // unfinished layer's share after its next step
            Map<String, Integer> taken = new HashMap<>();
            means.keySet().forEach(l -> taken.put(l, 0));
            for (int k = 0; k < order.size(); k++) {
                taken.merge(order.get(k).layer(), 1, Integer::sum);
                for (String i : means.keySet()) {
                    for (String j : means.keySet()) {
                        if (quota.get(i) > 0 && quota.get(j) > 0 && taken.get(i) < quota.get(i)) {
                            double shareJ = taken.get(j) / (double) quota.get(j);
                            double nextI = (taken.get(i) + 1) / (double) quota.get(i);
                            assertTrue(shareJ <= nextI + 1e-12, what + ", step " + (k + 1) + ": " + j + " at "
                                    + shareJ + " ahead of " + i + " next at " + nextI);
                        }
                    }
                }
            }

            // so every layer takes its last channel in the final steps, one each, in layer order
            List<String> finishing = quota.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                    .toList();
            List<String> tail = order.subList(order.size() - finishing.size(), order.size()).stream()
                    .map(LayerChannel::layer).toList();
            assertEquals(finishing, tail, what);
        }
    }

    // ---- MultiLayerConfig ----

    @Test
    void global_and_fraction_configs_have_the_defaults_and_describe_themselves() {
        MultiLayerConfig global = MultiLayerConfig.global(List.of("conv_1", "conv_2"));
        assertTrue(global.isGlobal());
        assertEquals(List.of(2.0, 4.0, 10.0, 30.0), global.drops());
        assertSame(SelectionRule.FIRST_OVER, global.rule());
        assertEquals(256, global.batchSize());
        assertEquals("global(conv_1, conv_2)", global.describe());

        Map<String, Double> shares = new LinkedHashMap<>();
        shares.put("conv_1", 0.2);
        shares.put("conv_2", 0.8);
        MultiLayerConfig fractions = MultiLayerConfig.fractions(shares);
        assertFalse(fractions.isGlobal());
        assertEquals(List.of("conv_1", "conv_2"), fractions.layers());
        assertEquals("fractions(conv_1=0.2, conv_2=0.8)", fractions.describe());

        MultiLayerConfig changed = global.drops(List.of(5.0)).rule(SelectionRule.LAST_UNDER).batchSize(32);
        assertEquals(List.of(5.0), changed.drops());
        assertSame(SelectionRule.LAST_UNDER, changed.rule());
        assertEquals(32, changed.batchSize());
        assertEquals(global.layers(), changed.layers());
    }

    @Test
    void config_copies_its_lists_and_map() {
        List<String> layers = new ArrayList<>(List.of("conv_1"));
        Map<String, Double> fractions = new HashMap<>(Map.of("conv_1", 0.5));
        MultiLayerConfig config = new MultiLayerConfig(layers, fractions, List.of(2.0), SelectionRule.FIRST_OVER, 8);
        layers.add("conv_2");
        fractions.put("conv_1", 0.9);
        assertEquals(List.of("conv_1"), config.layers());
        assertEquals(Map.of("conv_1", 0.5), config.fractions());
        assertThrows(UnsupportedOperationException.class, () -> config.fractions().put("conv_2", 0.1));
        assertThrows(UnsupportedOperationException.class, () -> config.layers().add("conv_2"));
    }

    @Test
    void config_rejects_no_layers_and_repeated_layers() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> MultiLayerConfig.global(List.of()));
        assertEquals("give each layer to prune once, got []", empty.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> MultiLayerConfig.global(List.of("conv_1", "conv_2", "conv_1")));
        assertEquals("give each layer to prune once, got [conv_1, conv_2, conv_1]", twice.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, -0.5, 1.0000001, 2.0, Double.NaN, Double.POSITIVE_INFINITY})
    void config_rejects_a_fraction_outside_0_to_1(double fraction) {
        Map<String, Double> shares = new LinkedHashMap<>();
        shares.put("conv_1", 0.5);
        shares.put("conv_2", fraction);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MultiLayerConfig.fractions(shares));
        assertEquals("fraction " + fraction + " of conv_2 is outside (0, 1]", e.getMessage());
    }

    @Test
    void config_accepts_a_whole_layer_and_a_tiny_share() {
        MultiLayerConfig config = MultiLayerConfig.fractions(Map.of("conv_1", 1.0));
        assertEquals(Map.of("conv_1", 1.0), config.fractions());
        assertEquals(Map.of("conv_1", Double.MIN_VALUE),
                MultiLayerConfig.fractions(Map.of("conv_1", Double.MIN_VALUE)).fractions());
    }

    @Test
    void config_rejects_fractions_that_do_not_match_the_layers() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new MultiLayerConfig(List.of("conv_1", "conv_2"), Map.of("conv_1", 0.5), List.of(2.0),
                        SelectionRule.FIRST_OVER, 8));
        assertEquals("give one fraction per layer [conv_1, conv_2], got [conv_1]", missing.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> new MultiLayerConfig(List.of("conv_1"), Map.of("conv_3", 0.5), List.of(2.0),
                        SelectionRule.FIRST_OVER, 8));
        assertEquals("give one fraction per layer [conv_1], got [conv_3]", other.getMessage());
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> new MultiLayerConfig(List.of("conv_1"), new LinkedHashMap<>(Map.of("conv_1", 0.5, "conv_2", 0.5)),
                        List.of(2.0), SelectionRule.FIRST_OVER, 8));
        assertTrue(extra.getMessage().startsWith("give one fraction per layer [conv_1], got ["), extra.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1.0, 100.0, 250.0, Double.NaN})
    void config_rejects_thresholds_outside_0_to_100(double drop) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MultiLayerConfig.global(LAYERS).drops(List.of(4.0, drop)));
        assertEquals("accuracy-drop threshold " + drop + " is outside (0, 100)", e.getMessage());
    }

    @Test
    void config_rejects_no_thresholds_no_rule_and_a_bad_batch_size() {
        MultiLayerConfig config = MultiLayerConfig.global(LAYERS);
        assertEquals("at least one accuracy-drop threshold is needed",
                assertThrows(IllegalArgumentException.class, () -> config.drops(List.of())).getMessage());
        assertEquals("a selection rule is needed",
                assertThrows(IllegalArgumentException.class, () -> config.rule(null)).getMessage());
        assertEquals("batch size must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> config.batchSize(0)).getMessage());
    }

    // ---- MultiLayerCurve ----

    @Test
    void curve_selects_the_same_steps_as_a_single_layer_curve() {
        double baseline = 95;
        // drops 0, 1, 3, 2 (recovers), 5, 12, 40
        double[] accuracies = {95, 94, 92, 93, 90, 83, 55};
        int n = accuracies.length;
        int[] order = IntStream.range(0, n).map(c -> n - 1 - c).toArray();
        PruningCurve single = new PruningCurve("conv_3", "pool_3", new double[n], order, baseline, accuracies);
        MultiLayerCurve multi = new MultiLayerCurve(Map.of(), Arrays.stream(order).mapToObj(c -> lc("conv_3", c))
                .toList(), baseline, accuracies);
        List<Double> drops = List.of(2.0, 3.0, 4.0, 10.0, 30.0, 50.0, 0.5);
        for (SelectionRule rule : SelectionRule.values()) {
            List<Selection> expected = single.select(drops, rule);
            List<MultiLayerSelection> actual = multi.select(drops, rule);
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < drops.size(); i++) {
                Selection e = expected.get(i);
                MultiLayerSelection a = actual.get(i);
                String what = rule + " at " + e.drop();
                assertEquals(e.drop(), a.drop(), what);
                assertSame(rule, a.rule(), what);
                assertEquals(e.reached(), a.reached(), what);
                assertEquals(e.pruned(), a.pruned(), what);
                assertEquals(e.validAccuracy(), a.validAccuracy(), what);
                assertArrayEquals(e.channels(), a.channels().getOrDefault("conv_3", new int[0]), what);
            }
        }
        // spelled out: 2 points are first reached at step 3 (92), not at step 4 after the recovery;
        // 50 points are never reached, so both rules keep all 7 steps
        assertEquals(List.of(3, 3, 5, 6, 7, 7, 2), multi.select(drops, SelectionRule.FIRST_OVER).stream()
                .map(MultiLayerSelection::pruned).toList());
        assertEquals(List.of(2, 2, 4, 5, 6, 7, 1), multi.select(drops, SelectionRule.LAST_UNDER).stream()
                .map(MultiLayerSelection::pruned).toList());
        MultiLayerSelection never = multi.select(List.of(50.0), SelectionRule.LAST_UNDER).get(0);
        assertFalse(never.reached());
        assertEquals(55, never.validAccuracy());
        assertArrayEquals(new int[] {6, 5, 4, 3, 2, 1, 0}, never.channels().get("conv_3"));
    }

    @Test
    void last_under_keeps_the_unpruned_net_when_the_first_step_drops_too_much() {
        MultiLayerCurve curve = new MultiLayerCurve(Map.of(), List.of(lc("a", 2), lc("b", 0)), 95,
                new double[] {80, 70});
        MultiLayerSelection last = curve.select(List.of(10.0), SelectionRule.LAST_UNDER).get(0);
        assertTrue(last.reached());
        assertEquals(0, last.pruned());
        assertEquals(95, last.validAccuracy());
        assertTrue(last.channels().isEmpty(), "no channel pruned");
        MultiLayerSelection first = curve.select(List.of(10.0), SelectionRule.FIRST_OVER).get(0);
        assertEquals(1, first.pruned());
        assertArrayEquals(new int[] {2}, first.channels().get("a"));
    }

    @Test
    void curve_drop_and_accuracy_count_steps_from_the_unpruned_net() {
        MultiLayerCurve curve = new MultiLayerCurve(Map.of(), List.of(lc("a", 0), lc("b", 1)), 80,
                new double[] {79, 60});
        assertEquals(80, curve.accuracy(0));
        assertEquals(0, curve.drop(0));
        assertEquals(79, curve.accuracy(1));
        assertEquals(20, curve.drop(2));
    }

    @Test
    void curve_channels_group_the_first_steps_by_layer_in_pruning_order() {
        List<LayerChannel> order = List.of(lc("b", 4), lc("a", 1), lc("b", 0), lc("a", 3), lc("a", 0), lc("c", 2));
        MultiLayerCurve curve = new MultiLayerCurve(Map.of(), order, 90, new double[order.size()]);
        assertTrue(curve.channels(0).isEmpty());
        assertChannels(Map.of("b", new int[] {4}), List.of("b"), curve.channels(1));
        assertChannels(Map.of("b", new int[] {4, 0}, "a", new int[] {1}), List.of("b", "a"), curve.channels(3));
        assertChannels(Map.of("b", new int[] {4, 0}, "a", new int[] {1, 3, 0}, "c", new int[] {2}),
                List.of("b", "a", "c"), curve.channels(6));
        assertThrows(IndexOutOfBoundsException.class, () -> curve.channels(7));
    }

    @Test
    void curve_needs_one_accuracy_per_step() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiLayerCurve(Map.of(), List.of(lc("a", 0), lc("a", 1)), 90, new double[3]));
        assertEquals("2 steps but 3 accuracies", e.getMessage());
    }

    @Test
    void layer_channel_prints_as_layer_colon_channel() {
        assertEquals("conv_2:17", lc("conv_2", 17).toString());
    }

    // ---- sweeps of a generated SmallCnn ----

    @Test
    void global_sweep_prunes_every_channel_once_from_full_accuracy_and_reports_each_step() {
        assertEquals(100.0, globalCurve.baselineAccuracy(), "the net's own classes are the labels");
        assertEquals(100.0, globalCurve.accuracy(0));
        assertEquals(16 + 32, globalCurve.order().size());
        assertEquals(Set.copyOf(allChannels()), Set.copyOf(globalCurve.order()), "every channel once");
        assertEquals(48, globalSteps.size());
        for (int k = 0; k < globalSteps.size(); k++) {
            assertArrayEquals(new int[] {k + 1, 48}, globalSteps.get(k), "listener call " + k);
        }
        assertTrue(globalCurve.accuracy(1) > globalCurve.accuracy(48), Arrays.toString(globalCurve.accuracies()));
        System.out.println("[multi-layer] labels " + Arrays.toString(histogram(valid.labels())) + "; order "
                + globalCurve.order() + "; curve " + Arrays.toString(globalCurve.accuracies()));
    }

    @Test
    void global_sweep_means_are_those_of_pool_1_and_pool_2_computed_independently() throws IOException {
        Map<String, double[]> independent = independentMeans();
        assertEquals(LAYERS, List.copyOf(globalCurve.means().keySet()));
        for (String layer : LAYERS) {
            double[] expected = independent.get(layer);
            double[] actual = globalCurve.means().get(layer);
            assertEquals(expected.length, actual.length, layer);
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], actual[c], 1e-5 * Math.max(1, Math.abs(expected[c])),
                        layer + " channel " + c);
            }
        }
        assertEquals(MultiLayerPruning.globalOrder(globalCurve.means()), globalCurve.order());
        assertSortedByNormalisedMean(globalCurve.order(), independent);
        List<String> firstHalf = globalCurve.order().subList(0, 24).stream().map(LayerChannel::layer).toList();
        assertTrue(firstHalf.contains("conv_1") && firstHalf.contains("conv_2"),
                "both layers are pruned in the first half: " + globalCurve.order().subList(0, 24));
    }

    @Test
    void global_sweep_accuracies_are_those_of_models_pruned_and_evaluated_in_full() throws IOException {
        for (int k : new int[] {1, 3, 8, 21, 34, 48}) {
            try (BadNet pruned = net.pruned(globalCurve.channels(k))) {
                assertEquals(Evaluation.accuracy(pruned, valid, 256).percent(), globalCurve.accuracy(k), 1e-9,
                        "step " + k + ", pruned " + globalCurve.order().subList(0, k));
            }
        }
        // with every channel pruned the net answers one class for all images: its share of the labels
        int allPruned = (int) Math.round(globalCurve.accuracy(48) * IMAGES / 100);
        int[] histogram = histogram(valid.labels());
        assertTrue(Arrays.stream(histogram).anyMatch(h -> h == allPruned),
                allPruned + " hits after pruning all; labels " + Arrays.toString(histogram));
        assertTrue(globalCurve.accuracy(48) <= 45, "accuracy with every channel pruned: " + globalCurve.accuracy(48));
    }

    @Test
    void global_sweep_selections_prune_nets_with_the_selected_accuracy() throws IOException {
        List<MultiLayerSelection> selections = globalCurve.select(List.of(2.0, 10.0, 30.0), SelectionRule.FIRST_OVER);
        int previous = 0;
        for (MultiLayerSelection s : selections) {
            assertTrue(s.reached(), "threshold " + s.drop());
            assertTrue(s.pruned() > previous, "pruned counts grow with the threshold");
            previous = s.pruned();
            assertTrue(globalCurve.drop(s.pruned()) >= s.drop() - 1e-9, "drop at " + s.pruned());
            for (int k = 0; k < s.pruned(); k++) {
                assertTrue(globalCurve.drop(k) < s.drop() - 1e-9, "drop after " + k + " is below " + s.drop());
            }
            try (BadNet pruned = net.pruned(s.channels())) {
                assertEquals(s.validAccuracy(), Evaluation.accuracy(pruned, valid, 256).percent(), 1e-9);
                assertEquals(s.pruned(), pruned.prunedChannels().values().stream().mapToInt(c -> c.length).sum());
            }
        }
    }

    @Test
    void fraction_sweep_prunes_each_layers_share_in_interleaved_order_whatever_the_batch_size()
            throws IOException {
        Map<String, Double> shares = new LinkedHashMap<>();
        shares.put("conv_1", 0.5);
        shares.put("conv_2", 0.25);
        MultiLayerCurve curve = new MultiLayerPruning(MultiLayerConfig.fractions(shares).batchSize(50))
                .sweep(net, valid, StepListener.NONE);
        assertEquals(8 + 8, curve.order().size());
        assertEquals(MultiLayerPruning.fractionOrder(curve.means(), shares), curve.order());
        // equal quotas of 8: the layers alternate, conv_1 first
        for (int k = 0; k < 16; k++) {
            assertEquals(k % 2 == 0 ? "conv_1" : "conv_2", curve.order().get(k).layer(), "step " + (k + 1));
        }
        assertArrayEquals(globalCurve.means().get("conv_1"), curve.means().get("conv_1"));
        Map<String, double[]> independent = independentMeans();
        Map<String, int[]> all = curve.channels(16);
        for (String layer : LAYERS) {
            double[] m = independent.get(layer);
            int[] pruned = all.get(layer);
            assertEquals(8, pruned.length, layer);
            // the pruned channels are the layer's least active
            double highestPruned = Arrays.stream(pruned).mapToDouble(c -> m[c]).max().orElseThrow();
            Set<Integer> prunedSet = Set.copyOf(Arrays.stream(pruned).boxed().toList());
            for (int c = 0; c < m.length; c++) {
                if (!prunedSet.contains(c)) {
                    assertTrue(m[c] >= highestPruned - 1e-5, layer + " keeps channel " + c + " (mean " + m[c]
                            + ") but prunes one with mean " + highestPruned);
                }
            }
        }
        try (BadNet pruned = net.pruned(all)) {
            assertEquals(Evaluation.accuracy(pruned, valid, 256).percent(), curve.accuracy(16), 1e-9);
        }
        MultiLayerCurve small = new MultiLayerPruning(MultiLayerConfig.fractions(shares).batchSize(7))
                .sweep(net, valid, StepListener.NONE);
        assertEquals(curve.order(), small.order());
        assertArrayEquals(curve.accuracies(), small.accuracies());
    }

    @Test
    void the_sweep_does_not_depend_on_the_order_the_layers_are_given_in() throws IOException {
        // Map.of iterates in an order that changes from one JVM run to the next, so a sweep must not
        // depend on it: layers are taken in network order, whatever order they come in.
        Map<String, Double> forward = new LinkedHashMap<>();
        forward.put("conv_1", 0.5);
        forward.put("conv_2", 0.25);
        Map<String, Double> backward = new LinkedHashMap<>();
        backward.put("conv_2", 0.25);
        backward.put("conv_1", 0.5);
        MultiLayerCurve a = new MultiLayerPruning(MultiLayerConfig.fractions(forward)).sweep(net, valid,
                StepListener.NONE);
        MultiLayerCurve b = new MultiLayerPruning(MultiLayerConfig.fractions(backward)).sweep(net, valid,
                StepListener.NONE);
        assertEquals(a.order(), b.order());
        assertArrayEquals(a.accuracies(), b.accuracies());
        assertEquals(LAYERS, List.copyOf(b.means().keySet()));
        assertEquals("conv_1", b.order().get(0).layer(), "equal quotas: the earlier layer in the network first");

        MultiLayerCurve reversed = new MultiLayerPruning(MultiLayerConfig.global(List.of("conv_2", "conv_1")))
                .sweep(net, valid, StepListener.NONE);
        assertEquals(globalCurve.order(), reversed.order());
        assertArrayEquals(globalCurve.accuracies(), reversed.accuracies());
    }

    @Test
    void sweep_of_one_layer_equals_mean_activation_pruning_of_it() throws IOException {
        MultiLayerCurve multi = new MultiLayerPruning(MultiLayerConfig.global(List.of("conv_2")))
                .sweep(net, valid, StepListener.NONE);
        PruningCurve single = new MeanActivationPruning(PruningConfig.lab().layer("conv_2"))
                .sweep(net, valid, StepListener.NONE);
        assertArrayEquals(single.order(), multi.order().stream().mapToInt(LayerChannel::channel).toArray());
        assertArrayEquals(single.means(), multi.means().get("conv_2"));
        assertEquals(single.baselineAccuracy(), multi.baselineAccuracy());
        assertArrayEquals(single.accuracies(), multi.accuracies());
        assertArrayEquals(globalCurve.means().get("conv_2"), multi.means().get("conv_2"));
    }

    @Test
    void sweep_rejects_unlabelled_images_and_layers_that_are_not_convolutions() {
        ArrayImages unlabelled = new ArrayImages("no-labels", ImageShape.FASHION_MNIST, randomPixels(4, 1), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiLayerPruning(MultiLayerConfig.global(LAYERS)).sweep(net, unlabelled, StepListener.NONE));
        assertEquals("no-labels: validation images need labels to measure accuracy", e.getMessage());
        IllegalArgumentException notConv = assertThrows(IllegalArgumentException.class,
                () -> new MultiLayerPruning(MultiLayerConfig.global(List.of("conv_1", "fc_1")))
                        .sweep(net, valid, StepListener.NONE));
        assertTrue(notConv.getMessage().contains("'fc_1' is not a convolution layer of small-cnn"),
                notConv.getMessage());
        IllegalArgumentException deepId = assertThrows(IllegalArgumentException.class,
                () -> new MultiLayerPruning(MultiLayerConfig.global(List.of("conv_3")))
                        .sweep(net, valid, StepListener.NONE));
        assertTrue(deepId.getMessage().contains("'conv_3'"), deepId.getMessage());
    }

    // ---- helpers ----

    private static int[] histogram(int[] labels) {
        int[] h = new int[SmallCnn.CLASSES];
        for (int l : labels) {
            h[l]++;
        }
        return h;
    }

    private static LayerChannel lc(String layer, int channel) {
        return new LayerChannel(layer, channel);
    }

    /** The quota of each layer, read off the order of a sweep over all-zero means. */
    private static Map<String, Integer> quotas(Map<String, Integer> channels, Map<String, Double> fractions) {
        Map<String, double[]> means = new LinkedHashMap<>();
        channels.forEach((l, n) -> means.put(l, new double[n]));
        Map<String, Integer> counts = new HashMap<>();
        for (LayerChannel s : MultiLayerPruning.fractionOrder(means, fractions)) {
            counts.merge(s.layer(), 1, Integer::sum);
        }
        return counts;
    }

    private static void assertChannels(Map<String, int[]> expected, List<String> keyOrder, Map<String, int[]> actual) {
        assertEquals(keyOrder, List.copyOf(actual.keySet()), "layers in order of their first step");
        expected.forEach((l, c) -> assertArrayEquals(c, actual.get(l), l));
    }

    private static List<LayerChannel> allChannels() {
        List<LayerChannel> all = new ArrayList<>();
        IntStream.range(0, 16).forEach(c -> all.add(lc("conv_1", c)));
        IntStream.range(0, 32).forEach(c -> all.add(lc("conv_2", c)));
        return all;
    }

    /** Each channel's mean over images and positions of pool_1 (for conv_1) and pool_2 (for conv_2). */
    private static Map<String, double[]> independentMeans() throws IOException {
        Map<String, double[]> sums = new LinkedHashMap<>();
        sums.put("conv_1", new double[16]);
        sums.put("conv_2", new double[32]);
        Map<String, Integer> positions = Map.of("conv_1", 12 * 12, "conv_2", 4 * 4);
        valid.forEachBatch(50, batch -> {
            Map<String, float[]> out = net.outputs(batch, Set.of("pool_1", "pool_2"));
            for (String conv : LAYERS) {
                float[] values = out.get(conv.replace("conv_", "pool_"));
                double[] s = sums.get(conv);
                int plane = positions.get(conv);
                assertEquals(batch.size() * s.length * plane, values.length, conv);
                for (int i = 0; i < values.length; i++) {
                    s[(i / plane) % s.length] += values[i];
                }
            }
        });
        Map<String, double[]> means = new LinkedHashMap<>();
        sums.forEach((conv, s) -> means.put(conv,
                Arrays.stream(s).map(v -> v / ((double) IMAGES * positions.get(conv))).toArray()));
        return means;
    }

    /** Checks that consecutive steps never decrease in normalised mean, allowing float noise. */
    private static void assertSortedByNormalisedMean(List<LayerChannel> order, Map<String, double[]> means) {
        Map<String, Double> layerMean = new HashMap<>();
        means.forEach((l, m) -> layerMean.put(l, Arrays.stream(m).average().orElseThrow()));
        double previous = Double.NEGATIVE_INFINITY;
        for (LayerChannel s : order) {
            double score = means.get(s.layer())[s.channel()] / layerMean.get(s.layer());
            assertTrue(score >= previous - 1e-6, s + " scores " + score + " after " + previous);
            previous = score;
        }
    }

    /** {@code count} 1x28x28 images of uniform raw pixels 0..255. */
    private static float[] randomPixels(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256);
        }
        return pixels;
    }
}
