package org.fineprune.defenses.finepruning;

import org.fineprune.core.LayerChannel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.DeepId;
import org.fineprune.core.Evaluation;
import org.fineprune.core.LayerWeights;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.finetuning.FineTuning;
import org.fineprune.defenses.pruning.MeanActivationPruning;
import org.fineprune.defenses.pruning.Outcome;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.Selection;
import org.fineprune.defenses.pruning.SelectionRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fine-Pruning's four defenses run on the real lab3 BadNet (DeepID) with the lab's small clean
 * validation file, scored on its clean and sunglasses-poisoned test files, each variant checked
 * against the same defense computed on its own.
 */
@Tag("real-data")
class FinePruningLab3RealDataTest {
    private static final int CLEAN_TEST = 56;
    private static final int POISONED_TEST = 71;

    private static LabDataset valid;
    private static LabDataset cleanTest;
    private static LabDataset poisonedTest;
    private static BadNet net;
    private static List<LayerWeights> weightsBefore;
    private static ComparisonConfig config;
    private static ComparisonReport report;
    private static final List<String> phases = new ArrayList<>();

    @BeforeAll
    static void compareTheFourDefenses() throws IOException {
        valid = LabDataset.open(SharedCsaw.file("data/cl/valid.h5"));
        cleanTest = LabDataset.open(SharedCsaw.file("data/cl/test.h5"));
        poisonedTest = LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"));
        assertEquals(CLEAN_TEST, cleanTest.size());
        assertEquals(POISONED_TEST, poisonedTest.size());
        net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"));
        weightsBefore = List.copyOf(net.weights().layers().values());
        config = ComparisonConfig.defaults().drop(4).fineTuning(FineTuning.DEFAULTS.withEpochs(2).withBatchSize(16));
        long start = System.nanoTime();
        report = FinePruning.compare(net, new DefenseData(valid, cleanTest, poisonedTest), config, phase -> {
            phases.add(phase);
            return StepListener.NONE;
        });
        System.out.printf(Locale.ROOT, "[fine-pruning] lab3 comparison in %.1f s%n%s",
                (System.nanoTime() - start) / 1e9, table(report));
        for (VariantResult r : report.variants()) {
            System.out.printf(Locale.ROOT, "[fine-pruning] %s prunes %s%n", r.variant().label(),
                    channels(r.prunedChannels()));
        }
    }

    @AfterAll
    static void closeNet() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void four_variants_come_in_variant_order_after_their_phases() {
        assertEquals(List.of(Variant.values()), report.variants().stream().map(VariantResult::variant).toList());
        for (Variant v : Variant.values()) {
            assertEquals(v, report.result(v).variant());
        }
        assertEquals(List.of("fine-tuning", "pruning conv_3", "fine-pruning", "pruning conv_1, conv_2, conv_3, conv_4",
                "multi-layer fine-pruning"), phases);
    }

    @Test
    void the_badnet_scores_all_clean_and_all_poisoned_test_images_as_known() throws IOException {
        assertEquals(new Outcome(new Accuracy(CLEAN_TEST, CLEAN_TEST), new Accuracy(POISONED_TEST, POISONED_TEST)),
                report.original());
        assertEquals(Evaluation.accuracy(net, valid, 256).percent(), report.originalValidAccuracy());
    }

    @Test
    void the_badnet_is_unchanged() {
        List<LayerWeights> now = List.copyOf(net.weights().layers().values());
        for (int i = 0; i < now.size(); i++) {
            assertArrayEquals(weightsBefore.get(i).kernel(), now.get(i).kernel(), now.get(i).spec().name());
            assertArrayEquals(weightsBefore.get(i).bias(), now.get(i).bias(), now.get(i).spec().name());
        }
        assertTrue(net.prunedChannels().isEmpty());
    }

    @Test
    void fine_tuning_prunes_nothing() {
        VariantResult tuned = report.result(Variant.FINE_TUNING);
        assertTrue(tuned.prunedChannels().isEmpty());
        assertEquals(0, tuned.prunedCount());
    }

    @Test
    void pruning_alone_prunes_the_last_convolution_before_the_classifier() {
        // DeepID's conv_4 is the last convolution, but it sits in a branch beside fc_1; the lab prunes conv_3
        assertEquals("conv_3", DeepId.INSTANCE.pruningLayer());
        assertEquals("conv_2", SmallCnn.INSTANCE.pruningLayer());
    }

    @Test
    void pruning_prunes_conv_3_as_mean_activation_pruning_does_at_4_points() throws IOException {
        Selection expected = new MeanActivationPruning(PruningConfig.lab().drops(4.0))
                .sweep(net, valid, StepListener.NONE).select(List.of(4.0), SelectionRule.FIRST_OVER).get(0);
        VariantResult pruning = report.result(Variant.PRUNING);
        assertEquals(Set.of("conv_3"), pruning.prunedChannels().keySet());
        assertArrayEquals(expected.channels(), pruning.prunedChannels().get("conv_3"));
        assertEquals(expected.pruned(), pruning.prunedCount());
        assertEquals(48, pruning.prunedCount(), "48 of conv_3's 60 channels, as measured before");
        assertEquals(expected.validAccuracy(), pruning.validAccuracy());
        assertTrue(report.originalValidAccuracy() - pruning.validAccuracy() >= 4 - 1e-9,
                "first model at least 4 points below the BadNet");
        try (BadNet pruned = net.pruned("conv_3", expected.channels())) {
            assertEquals(outcome(pruned), pruning.repaired());
        }
    }

    @Test
    void fine_pruning_keeps_the_pruning_variants_channels_exactly_zero_and_is_reproducible() throws IOException {
        VariantResult pruning = report.result(Variant.PRUNING);
        VariantResult finePruning = report.result(Variant.FINE_PRUNING);
        assertEquals(Set.of("conv_3"), finePruning.prunedChannels().keySet());
        int[] channels = pruning.prunedChannels().get("conv_3");
        assertArrayEquals(channels, finePruning.prunedChannels().get("conv_3"));
        assertTrue(finePruning.seconds() >= pruning.seconds(), "fine-pruning's time includes the pruning");
        try (BadNet pruned = net.pruned("conv_3", channels);
                BadNet again = new FineTuning(config.fineTuning()).tune(pruned, valid, StepListener.NONE)) {
            assertZero(again, "conv_3", channels);
            assertEquals(outcome(again), finePruning.repaired(), "the same fine-tuning gives the same model");
            assertEquals(Evaluation.accuracy(again, valid, 256).percent(), finePruning.validAccuracy());
        }
    }

    @Test
    void multi_layer_fine_pruning_prunes_the_globally_lowest_normalised_means_of_several_layers()
            throws IOException {
        VariantResult result = report.result(Variant.MULTI_LAYER_FINE_PRUNING);
        Map<String, int[]> pruned = result.prunedChannels();
        assertTrue(pruned.size() > 1, "channels of several layers pruned: " + counts(result));
        // every pruned channel's mean over its layer's mean is at most every kept channel's
        Map<String, double[]> scores = normalisedMeans();
        double highestPruned = Double.NEGATIVE_INFINITY;
        LayerChannel lastStep = null;
        double lowestKept = Double.POSITIVE_INFINITY;
        for (String layer : DeepId.CONV_LAYERS) {
            double[] s = scores.get(layer);
            Set<Integer> p = Arrays.stream(pruned.getOrDefault(layer, new int[0])).boxed().collect(Collectors.toSet());
            for (int c = 0; c < s.length; c++) {
                if (p.contains(c) && s[c] >= highestPruned) {
                    highestPruned = s[c];
                    lastStep = new LayerChannel(layer, c);
                } else if (!p.contains(c)) {
                    lowestKept = Math.min(lowestKept, s[c]);
                }
            }
        }
        assertTrue(highestPruned <= lowestKept + 1e-6, "highest pruned score " + highestPruned + " (" + lastStep
                + "), lowest kept " + lowestKept);
        // the first model 4 points below the BadNet: the pruned net is, one step fewer is not
        try (BadNet prunedNet = net.pruned(pruned);
                BadNet oneFewer = net.pruned(without(pruned, lastStep))) {
            double baseline = report.originalValidAccuracy();
            double drop = baseline - Evaluation.accuracy(prunedNet, valid, 256).percent();
            double dropBefore = baseline - Evaluation.accuracy(oneFewer, valid, 256).percent();
            System.out.printf(Locale.ROOT, "[fine-pruning] multi-layer: last step %s; drop %.2f, one step fewer %.2f%n",
                    lastStep, drop, dropBefore);
            assertTrue(drop >= 4 - 1e-9, "drop " + drop);
            assertTrue(dropBefore < 4 - 1e-9, "drop one step earlier " + dropBefore);
            try (BadNet again = new FineTuning(config.fineTuning()).tune(prunedNet, valid, StepListener.NONE)) {
                pruned.forEach((layer, channels) -> assertZero(again, layer, channels));
                assertEquals(outcome(again), result.repaired(), "the same fine-tuning gives the same model");
                assertEquals(Evaluation.accuracy(again, valid, 256).percent(), result.validAccuracy());
            }
        }
    }

    @Test
    void every_score_is_a_percentage_of_the_test_sets() {
        assertTrue(report.originalValidAccuracy() >= 0 && report.originalValidAccuracy() <= 100);
        for (VariantResult r : report.variants()) {
            String what = r.variant().label();
            assertTrue(r.validAccuracy() >= 0 && r.validAccuracy() <= 100, what + " valid " + r.validAccuracy());
            for (Outcome o : List.of(r.repaired(), r.goodNet())) {
                assertEquals(CLEAN_TEST, o.clean().total(), what);
                assertEquals(POISONED_TEST, o.attack().total(), what);
                for (double p : new double[] {o.clean().percent(), o.attack().percent()}) {
                    assertTrue(p >= 0 && p <= 100, what + ": " + p);
                }
            }
            assertTrue(r.seconds() >= 0, what);
        }
    }

    @Test
    void goodnet_flags_exactly_where_the_repaired_net_leaves_the_badnets_answer() {
        // B answers every clean image right and every poisoned one with the target, so G's hits are
        // B''s hits and G flags every other image.
        for (VariantResult r : report.variants()) {
            String what = r.variant().label();
            assertEquals(POISONED_TEST, r.poisonedFlagged().total(), what);
            assertEquals(CLEAN_TEST, r.cleanFlagged().total(), what);
            assertEquals(r.repaired().clean().hits(), r.goodNet().clean().hits(), what);
            assertEquals(r.repaired().attack().hits(), r.goodNet().attack().hits(), what);
            assertEquals(CLEAN_TEST - r.repaired().clean().hits(), r.cleanFlagged().hits(), what);
            assertEquals(POISONED_TEST - r.repaired().attack().hits(), r.poisonedFlagged().hits(), what);
        }
    }

    @Test
    void a_layer_the_badnet_does_not_have_is_rejected_by_name() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FinePruning.compare(net, new DefenseData(valid, cleanTest, poisonedTest),
                        ComparisonConfig.defaults().layers("conv_9"), Phases.NONE));
        assertTrue(e.getMessage().contains("'conv_9' is not a convolution layer of DeepID"), e.getMessage());
    }

    // ---- helpers ----

    /** The clean accuracy and attack success rate of {@code model} on the test files. */
    private static Outcome outcome(BadNet model) throws IOException {
        return new Outcome(Evaluation.accuracy(model, cleanTest, 256), Evaluation.accuracy(model, poisonedTest, 256));
    }

    /** Each channel's mean on the validation images over its layer's mean, computed from layer outputs. */
    private static Map<String, double[]> normalisedMeans() throws IOException {
        Map<String, double[]> sums = new TreeMap<>();
        valid.forEachBatch(256, batch -> {
            Map<String, String> ranking = new TreeMap<>();
            DeepId.CONV_LAYERS.forEach(conv -> ranking.put(conv, DeepId.INSTANCE.rankingLayer(conv)));
            Map<String, float[]> out = net.outputs(batch, Set.copyOf(ranking.values()));
            ranking.forEach((conv, layer) -> {
                int channels = DeepId.INSTANCE.conv(conv).outputs();
                float[] values = out.get(layer);
                int plane = values.length / (batch.size() * channels);
                double[] s = sums.computeIfAbsent(conv, c -> new double[channels]);
                for (int i = 0; i < values.length; i++) {
                    s[(i / plane) % channels] += values[i];
                }
            });
        });
        Map<String, double[]> scores = new TreeMap<>();
        sums.forEach((conv, s) -> {
            double layerMean = Arrays.stream(s).average().orElseThrow();
            scores.put(conv, Arrays.stream(s).map(v -> layerMean == 0 ? 0 : v / layerMean).toArray());
        });
        return scores;
    }

    private static Map<String, int[]> without(Map<String, int[]> channels, LayerChannel step) {
        Map<String, int[]> fewer = new TreeMap<>();
        channels.forEach((layer, c) -> {
            int[] kept = Arrays.stream(c).filter(x -> !step.equals(new LayerChannel(layer, x))).toArray();
            if (kept.length > 0) {
                fewer.put(layer, kept);
            }
        });
        return fewer;
    }

    private static void assertZero(BadNet model, String layer, int[] channels) {
        LayerWeights w = model.weights().layer(layer);
        int out = w.spec().outputs();
        for (int c : channels) {
            assertEquals(0f, w.bias()[c], layer + " bias " + c);
            for (int i = c; i < w.kernel().length; i += out) {
                assertEquals(0f, w.kernel()[i], layer + " kernel of channel " + c);
            }
        }
    }

    private static String counts(VariantResult r) {
        return r.prunedChannels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().length)
                .collect(Collectors.joining(" ", "{", "}"));
    }

    private static String table(ComparisonReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "  %-25s %-40s %7s %16s %16s %16s %16s %8s %8s %6s%n", "variant",
                "pruned", "valid%", "clean", "attack", "G clean", "G attack", "flag bd", "flag cl", "s"));
        out.append(String.format(Locale.ROOT, "  %-25s %-40s %7.2f %16s %16s%n", "BadNet", "-",
                report.originalValidAccuracy(), report.original().clean(), report.original().attack()));
        for (VariantResult r : report.variants()) {
            out.append(String.format(Locale.ROOT, "  %-25s %-40s %7.2f %16s %16s %16s %16s %8s %8s %6.2f%n",
                    r.variant().label(), r.prunedCount() + " " + counts(r), r.validAccuracy(), r.repaired().clean(),
                    r.repaired().attack(), r.goodNet().clean(), r.goodNet().attack(),
                    r.poisonedFlagged().hits() + "/" + r.poisonedFlagged().total(),
                    r.cleanFlagged().hits() + "/" + r.cleanFlagged().total(), r.seconds()));
        }
        return out.toString();
    }

    private static String channels(Map<String, int[]> byLayer) {
        return byLayer.entrySet().stream().map(e -> e.getKey() + Arrays.toString(e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
