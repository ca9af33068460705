package org.fineprune.defenses.anp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.ChannelScaling;
import org.fineprune.core.ChannelScaling.Scales;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.LayerChannel;
import org.fineprune.core.LayerSpec;
import org.fineprune.core.LayerWeights;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.Settings;
import org.junit.jupiter.api.Test;

/** ANP's masks and pruning on small generated nets: the mechanism, the rules and repeatability. */
class AdversarialNeuronPruningTest {
    /** The planted backdoor channel of conv_2, the fc_1 unit it drives and the class it pushes. */
    private static final int PLANTED = 7;
    private static final int UNIT = 5;
    private static final int TARGET = 0;

    private final Defense anp = Defenses.find("anp");

    @Test
    void the_registry_finds_it_with_the_reference_defaults() {
        assertInstanceOf(AdversarialNeuronPruning.class, anp);
        Map<String, Object> defaults = anp.defaults().values();
        assertEquals(0.4, defaults.get("eps"));
        assertEquals(0.2, defaults.get("alpha"));
        assertEquals(0.2, defaults.get("mask-lr"));
        assertEquals(2000, defaults.get("iterations"));
        assertEquals(128, defaults.get("batch-size"));
        assertEquals(1, defaults.get("noise-steps"));
        assertEquals("threshold", defaults.get("rule"));
        assertEquals(0.2, defaults.get("threshold"));
        assertEquals(List.of(), defaults.get("layers"));
    }

    @Test
    void masks_stay_in_the_unit_interval_even_with_steps_that_would_leave_it() {
        try (BadNet net = smallCnn()) {
            ArrayImages clean = shiftedLabels(net, 60, 2);
            Map<String, float[]> masks = new MaskOptimization(0.4, 0.2, 200, 6, 16, 1)
                    .masks(net, clean, List.of("conv_1", "conv_2"), 1);
            int zeros = 0;
            int ones = 0;
            for (float[] mask : masks.values()) {
                for (float m : mask) {
                    assertTrue(m >= 0 && m <= 1, "mask " + m);
                    zeros += m == 0 ? 1 : 0;
                    ones += m == 1 ? 1 : 0;
                }
            }
            assertTrue(zeros > 0 && ones > 0, zeros + " masks at 0 and " + ones + " at 1: the clip did not act at both ends");
        }
    }

    @Test
    void without_noise_and_without_the_natural_loss_the_masks_do_not_move() {
        try (BadNet net = smallCnn()) {
            Map<String, float[]> masks = new MaskOptimization(0, 0, 0.2, 5, 16, 1)
                    .masks(net, shiftedLabels(net, 60, 2), List.of("conv_2"), 1);
            for (float m : masks.get("conv_2")) {
                assertEquals(1f, m);
            }
        }
    }

    @Test
    void without_noise_and_with_the_natural_loss_alone_the_masks_descend_it() {
        try (BadNet net = smallCnn()) {
            ArrayImages clean = shiftedLabels(net, 60, 2);
            Map<String, float[]> masks = new MaskOptimization(0, 1, 0.2, 10, 16, 1)
                    .masks(net, clean, List.of("conv_2"), 1);
            ImageBatch all = new ImageBatch(clean.pixels(), clean.labels(), clean.size());
            double before = ChannelScaling.gradient(net, all, Map.of("conv_2", Scales.ones(32))).loss();
            float[] mask = masks.get("conv_2");
            double after = ChannelScaling.gradient(net, all,
                    Map.of("conv_2", new Scales(mask, Scales.ones(32).bias()))).loss();
            assertTrue(after < before, "loss " + before + " with every mask 1, " + after + " with the optimised masks");
            double moved = 0;
            for (float m : mask) {
                moved += 1 - m;
            }
            assertTrue(moved > 0, "no mask moved");
        }
    }

    @Test
    void a_planted_channel_that_noise_turns_on_gets_the_lowest_mask() throws IOException {
        try (BadNet net = planted()) {
            ArrayImages clean = ownLabels(net, 100, 4);
            ImageBatch all = new ImageBatch(clean.pixels(), clean.labels(), clean.size());
            // What makes it a backdoor channel: pruning it changes no answer, noise on it raises the loss.
            try (BadNet pruned = net.pruned("conv_2", new int[] {PLANTED})) {
                assertArrayEquals(net.classify(all), pruned.classify(all));
            }
            float[] weight = Scales.ones(32).weight();
            float[] bias = Scales.ones(32).bias();
            weight[PLANTED] = 1.4f;
            bias[PLANTED] = 0.6f;
            double clean0 = ChannelScaling.gradient(net, all, Map.of("conv_2", Scales.ones(32))).loss();
            double noisy = ChannelScaling.gradient(net, all, Map.of("conv_2", new Scales(weight, bias))).loss();
            assertTrue(noisy > clean0 + 0.5, "loss " + clean0 + " clean, " + noisy + " with noise on the channel");

            try (DefenseResult result = anp.apply(net, new DefenderData(clean), anp.settings(Map.of("iterations", 20,
                    "batch-size", 16, "layers", "conv_2")), 1)) {
                assertEquals(new LayerChannel("conv_2", PLANTED), result.pruningOrder().get(0),
                        result.diagnostics().get("masks").toString());
            }
        }
    }

    @Test
    void the_rules_prune_the_channels_at_the_start_of_the_ascending_order() throws IOException {
        try (BadNet net = smallCnn()) {
            DefenderData data = new DefenderData(shiftedLabels(net, 60, 2));
            Map<String, Object> common = Map.of("iterations", 4, "batch-size", 8, "mask-lr", 20);
            try (DefenseResult byThreshold = anp.apply(net, data, settings(common, "threshold", 0.5), 1);
                    DefenseResult byCount = anp.apply(net, data, settings(common, "count", 5), 1)) {
                List<LayerChannel> order = byThreshold.pruningOrder();
                assertEquals(16 + 32, order.size());
                List<Double> values = new ArrayList<>();
                @SuppressWarnings("unchecked")
                Map<String, List<Double>> masks = (Map<String, List<Double>>) byThreshold.diagnostics().get("masks");
                order.forEach(c -> values.add(masks.get(c.layer()).get(c.channel())));
                for (int i = 1; i < values.size(); i++) {
                    assertTrue(values.get(i - 1) <= values.get(i), "order by ascending mask: " + values);
                }
                long under = values.stream().filter(v -> v <= 0.5).count();
                assertTrue(under > 0 && under < order.size(), under + " masks at most 0.5");
                assertEquals(LayerChannel.byLayer(order.subList(0, (int) under)).keySet(),
                        byThreshold.repairedModel().orElseThrow().prunedChannels().keySet());
                assertEquals(asLists(LayerChannel.byLayer(order.subList(0, (int) under))),
                        byThreshold.diagnostics().get("prunedChannels"));
                assertEquals(asLists(LayerChannel.byLayer(order.subList(0, 5))),
                        byCount.diagnostics().get("prunedChannels"));
                assertEquals(Map.of("conv_1", "conv_1", "conv_2", "conv_2"), byCount.diagnostics().get("maskedLayers"));
                assertTrue(byCount.inputDetector().isPresent());
            }
        }
    }

    @Test
    void the_drop_rules_prune_along_the_ascending_masks_until_the_selection_accuracy_falls() throws IOException {
        try (BadNet net = smallCnn()) {
            // The selection images keep two answers in three: the BadNet's accuracy on them is 66.67%.
            DefenderData data = new DefenderData(shiftedLabels(net, 60, 2), shiftedLabels(net, 90, 5), null);
            Map<String, Object> common = Map.of("iterations", 4, "batch-size", 8, "mask-lr", 20);
            List<Double> curve;
            double baseline;
            try (DefenseResult never = anp.apply(net, data, byRule(common, "last-under", 99), 1)) {
                Map<String, Object> diagnostics = never.diagnostics();
                baseline = (Double) diagnostics.get("baselineValidAccuracy");
                assertEquals(200.0 / 3, baseline, 1e-9);
                @SuppressWarnings("unchecked")
                List<Double> accuracies = (List<Double>) diagnostics.get("validAccuracies");
                curve = accuracies;
                assertEquals(never.pruningOrder().size(), curve.size());
                assertEquals(false, diagnostics.get("reached"), "a drop of 99 points from 66.67% is never reached");
                assertEquals(curve.size(), prunedCount(never), "an unreached drop prunes every channel");
            }
            // A drop halfway between the first step's and the largest: reached after the first step.
            double first = baseline - curve.get(0);
            double largest = baseline - curve.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            assertTrue(largest > first + 1, "the curve " + curve + " falls no further than its first step");
            double drop = (first + largest) / 2;
            try (DefenseResult lastUnder = anp.apply(net, data, byRule(common, "last-under", drop), 1);
                    DefenseResult firstOver = anp.apply(net, data, byRule(common, "first-over", drop), 1);
                    DefenseResult relative = anp.apply(net, data, anp.settings(Map.of("iterations", 4, "batch-size", 8,
                            "mask-lr", 20, "rule", "last-under", "drop", 100 * drop / baseline,
                            "drop-unit", "relative")), 1)) {
                List<LayerChannel> order = lastUnder.pruningOrder();
                Map<String, Object> diagnostics = lastUnder.diagnostics();
                assertEquals(curve, diagnostics.get("validAccuracies"));
                assertEquals(true, diagnostics.get("reached"));
                int kept = prunedCount(lastUnder);
                assertTrue(kept > 0 && kept < order.size(), kept + " of " + order.size() + " pruned: " + curve);
                for (int k = 0; k < kept; k++) {
                    assertTrue(baseline - curve.get(k) < drop, "step " + (k + 1) + " is under the drop: " + curve);
                }
                assertTrue(baseline - curve.get(kept) >= drop, "the next step reaches it: " + curve);
                // The curve comes from the pruning cache; the reported accuracy from the whole pruned net.
                assertEquals(curve.get(kept - 1), (Double) diagnostics.get("validAccuracy"), 1e-9);
                assertEquals(asLists(LayerChannel.byLayer(order.subList(0, kept))), diagnostics.get("prunedChannels"));
                assertEquals(asLists(LayerChannel.byLayer(order.subList(0, kept + 1))),
                        firstOver.diagnostics().get("prunedChannels"));
                assertEquals(curve.get(kept), (Double) firstOver.diagnostics().get("validAccuracy"), 1e-9);
                assertEquals(diagnostics.get("prunedChannels"), relative.diagnostics().get("prunedChannels"),
                        "the same drop in percent of the BadNet's accuracy");
            }
        }
    }

    @Test
    void the_rules_that_look_at_no_accuracy_report_no_curve() throws IOException {
        try (BadNet net = smallCnn()) {
            DefenderData data = new DefenderData(shiftedLabels(net, 60, 2));
            try (DefenseResult result = anp.apply(net, data, anp.settings(Map.of("iterations", 2, "batch-size", 8)), 1)) {
                assertEquals(Set.of("masks", "maskedLayers", "prunedChannels", "validAccuracy"),
                        result.diagnostics().keySet());
            }
        }
    }

    @Test
    void the_same_seed_gives_the_same_masks_and_another_seed_others() throws IOException {
        try (BadNet net = smallCnn()) {
            DefenderData data = new DefenderData(shiftedLabels(net, 60, 2));
            Map<String, Object> given = Map.of("iterations", 2, "batch-size", 8, "layers", "conv_2");
            try (DefenseResult first = anp.apply(net, data, anp.settings(given), 1);
                    DefenseResult again = anp.apply(net, data, anp.settings(given), 1);
                    DefenseResult other = anp.apply(net, data, anp.settings(given), 2)) {
                assertEquals(first.diagnostics(), again.diagnostics());
                assertEquals(first.pruningOrder(), again.pruningOrder());
                assertNotEquals(first.diagnostics().get("masks"), other.diagnostics().get("masks"));
            }
        }
    }

    @Test
    void check_refuses_a_layer_that_is_not_a_convolution_and_a_count_over_the_channels() {
        assertEquals("defense 'anp': parameter 'layers': 'fc_1' is not a convolution layer of small-cnn;"
                + " conv layers: [conv_1, conv_2]", assertThrows(IllegalArgumentException.class,
                        () -> anp.check(SmallCnn.INSTANCE, anp.settings(Map.of("layers", "conv_1,fc_1"))))
                        .getMessage());
        assertEquals("defense 'anp': parameter 'count': 17 channels to prune, but the masked layers [conv_1] have 16",
                assertThrows(IllegalArgumentException.class, () -> anp.check(SmallCnn.INSTANCE,
                        anp.settings(Map.of("rule", "count", "count", 17, "layers", "conv_1")))).getMessage());
        anp.check(SmallCnn.INSTANCE, anp.settings(Map.of("rule", "count", "count", 16, "layers", "conv_1")));
    }

    private Settings settings(Map<String, Object> common, String rule, Object value) {
        Map<String, Object> given = new java.util.HashMap<>(common);
        given.put("rule", rule);
        given.put(rule, value);
        return anp.settings(given);
    }

    private Settings byRule(Map<String, Object> common, String rule, double drop) {
        Map<String, Object> given = new java.util.HashMap<>(common);
        given.put("rule", rule);
        given.put("drop", drop);
        return anp.settings(given);
    }

    private static int prunedCount(DefenseResult result) {
        return ((Map<?, ?>) result.diagnostics().get("prunedChannels")).values().stream()
                .mapToInt(c -> ((List<?>) c).size()).sum();
    }

    private static Map<String, List<Integer>> asLists(Map<String, int[]> channels) {
        Map<String, List<Integer>> lists = new java.util.LinkedHashMap<>();
        channels.forEach((layer, c) -> lists.put(layer, java.util.Arrays.stream(c).boxed().toList()));
        return lists;
    }

    private static BadNet smallCnn() {
        return BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(3), options());
    }

    private static ModelOptions options() {
        return new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu");
    }

    /** Blob images labelled with the net's answers, every third shifted by one class, so that the loss has gradients. */
    private static ArrayImages shiftedLabels(BadNet net, int count, long seed) {
        float[] pixels = BlobImages.generate(count, seed);
        int[] labels = net.classify(new ImageBatch(pixels, null, count));
        for (int i = 0; i < count; i += 3) {
            labels[i] = (labels[i] + 1) % SmallCnn.CLASSES;
        }
        return new ArrayImages("shifted", ImageShape.FASHION_MNIST, pixels, labels);
    }

    private static ArrayImages ownLabels(BadNet net, int count, long seed) {
        float[] pixels = BlobImages.generate(count, seed);
        return new ArrayImages("own", ImageShape.FASHION_MNIST, pixels, net.classify(new ImageBatch(pixels, null, count)));
    }

    /**
     * The small CNN with a backdoor channel planted in conv_2: a kernel that sums its whole input
     * window, with a bias just under minus the largest sum on clean images, so that it stays off on
     * them (pruning it changes nothing) while multiplicative noise on its kernel and bias turns it on;
     * fc_1 unit {@value #UNIT} reads only that channel and pushes class {@value #TARGET} hard.
     */
    private static BadNet planted() {
        List<LayerWeights> weights = new ArrayList<>(SmallCnnWeights.random(3));
        LayerWeights conv2 = weights.get(1);
        float[] kernel = conv2.kernel().clone();
        float[] bias = conv2.bias().clone();
        for (int i = PLANTED; i < kernel.length; i += 32) {
            kernel[i] = 0.01f;
        }
        bias[PLANTED] = 0;
        weights.set(1, new LayerWeights(conv2.spec(), kernel, bias));
        float largest;
        try (BadNet open = BadNet.fromWeights(SmallCnn.INSTANCE, weights, options())) {
            float[] pixels = BlobImages.generate(100, 4);
            float[] out = open.outputs(new ImageBatch(pixels, null, 100), Set.of("conv_2")).get("conv_2");
            int plane = 8 * 8;
            largest = 0;
            for (int n = 0; n < 100; n++) {
                for (int p = 0; p < plane; p++) {
                    largest = Math.max(largest, out[(n * 32 + PLANTED) * plane + p]);
                }
            }
        }
        bias[PLANTED] = -1.05f * largest;
        weights.set(1, new LayerWeights(conv2.spec(), kernel, bias));
        weights.set(2, rewired(weights.get(2), (in, out) -> out == UNIT ? (in % 32 == PLANTED ? 1f : 0f) : null));
        weights.set(3, rewired(weights.get(3), (in, out) -> in == UNIT ? (out == TARGET ? 50f : 0f) : null));
        LayerWeights fc1 = weights.get(2);
        float[] fc1Bias = fc1.bias().clone();
        fc1Bias[UNIT] = 0;
        weights.set(2, new LayerWeights(fc1.spec(), fc1.kernel(), fc1Bias));
        return BadNet.fromWeights(SmallCnn.INSTANCE, weights, options());
    }

    /** A dense layer (Keras layout, in x out) with the entries {@code value} gives, the others kept. */
    private static LayerWeights rewired(LayerWeights dense, java.util.function.BiFunction<Integer, Integer, Float> value) {
        LayerSpec spec = dense.spec();
        int outs = spec.outputs();
        float[] kernel = dense.kernel().clone();
        for (int i = 0; i < kernel.length; i++) {
            Float v = value.apply(i / outs, i % outs);
            if (v != null) {
                kernel[i] = v;
            }
        }
        return new LayerWeights(spec, kernel, dense.bias());
    }
}
