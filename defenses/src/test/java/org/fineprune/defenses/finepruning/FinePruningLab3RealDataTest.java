package org.fineprune.defenses.finepruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
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
import org.fineprune.core.LayerChannel;
import org.fineprune.core.LayerWeights;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.Settings;
import org.fineprune.defenses.finetuning.FineTuningDefense;
import org.fineprune.defenses.pruning.MeanActivationPruning;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.Selection;
import org.fineprune.defenses.pruning.SelectionRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fine-Pruning's four defenses, found through the registry, run on the real lab3 BadNet (DeepID)
 * with the lab's small clean validation file and scored on its clean and sunglasses-poisoned test
 * files, each checked against the same defense computed on its own.
 */
@Tag("real-data")
class FinePruningLab3RealDataTest {
    private static final long SEED = 7;
    private static final int CLEAN_TEST = 56;
    private static final int POISONED_TEST = 71;
    private static final Map<String, Object> TUNING = Map.of("epochs", 2, "batch-size", 16);

    private static LabDataset valid;
    private static LabDataset cleanTest;
    private static LabDataset poisonedTest;
    private static BadNet net;
    private static List<LayerWeights> weightsBefore;

    @BeforeAll
    static void load() throws IOException {
        valid = LabDataset.open(SharedCsaw.file("data/cl/valid.h5"));
        cleanTest = LabDataset.open(SharedCsaw.file("data/cl/test.h5"));
        poisonedTest = LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"));
        assertEquals(CLEAN_TEST, cleanTest.size());
        assertEquals(POISONED_TEST, poisonedTest.size());
        net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"));
        weightsBefore = List.copyOf(net.weights().layers().values());
    }

    @AfterAll
    static void closeNet() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void the_badnet_scores_all_clean_and_all_poisoned_test_images_as_known() throws IOException {
        assertEquals(List.of(new Accuracy(CLEAN_TEST, CLEAN_TEST), new Accuracy(POISONED_TEST, POISONED_TEST)),
                outcome(net));
    }

    @Test
    void the_badnet_is_unchanged_by_every_defense() throws IOException {
        for (String name : List.of("fine-tuning", "pruning", "fine-pruning", "multi-layer-fine-pruning")) {
            Defense defense = Defenses.find(name);
            Map<String, Object> given = new HashMap<>(name.equals("pruning") ? Map.of() : TUNING);
            if (!name.equals("fine-tuning")) {
                given.put("drop", 4);
            }
            Settings settings = defense.settings(given);
            try (DefenseResult result = defense.apply(net, new DefenderData(valid), settings, SEED)) {
                assertTrue(result.repairedModel().isPresent(), name);
            }
            List<LayerWeights> now = List.copyOf(net.weights().layers().values());
            for (int i = 0; i < now.size(); i++) {
                assertArrayEquals(weightsBefore.get(i).kernel(), now.get(i).kernel(), name + ": " + now.get(i).spec().name());
                assertArrayEquals(weightsBefore.get(i).bias(), now.get(i).bias(), name + ": " + now.get(i).spec().name());
            }
            assertTrue(net.prunedChannels().isEmpty(), name);
        }
    }

    @Test
    void fine_tuning_prunes_nothing() throws IOException {
        try (DefenseResult result = apply("fine-tuning", TUNING)) {
            assertTrue(result.repairedModel().orElseThrow().prunedChannels().isEmpty());
            assertEquals(Map.of(), result.diagnostics());
        }
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
        try (DefenseResult result = apply("pruning", Map.of("drop", 4));
                BadNet pruned = net.pruned("conv_3", expected.channels())) {
            BadNet repaired = result.repairedModel().orElseThrow();
            assertEquals(Set.of("conv_3"), repaired.prunedChannels().keySet());
            assertArrayEquals(expected.channels(), repaired.prunedChannels().get("conv_3"));
            assertEquals(48, expected.pruned(), "48 of conv_3's 60 channels, as measured before");
            double validAccuracy = Evaluation.accuracy(repaired, valid, 256).percent();
            assertEquals(expected.validAccuracy(), validAccuracy);
            assertEquals(expected.validAccuracy(), result.diagnostics().get("validAccuracy"));
            double baseline = Evaluation.accuracy(net, valid, 256).percent();
            assertEquals(baseline, result.diagnostics().get("baselineValidAccuracy"));
            assertTrue(baseline - validAccuracy >= 4 - 1e-9, "first model at least 4 points below the BadNet");
            assertEquals(outcome(pruned), outcome(repaired));
        }
    }

    @Test
    void fine_pruning_keeps_the_pruning_defenses_channels_exactly_zero_and_is_reproducible() throws IOException {
        Map<String, Object> settings = Map.of("drop", 4, "epochs", 2, "batch-size", 16);
        try (DefenseResult pruning = apply("pruning", Map.of("drop", 4));
                DefenseResult finePruning = apply("fine-pruning", settings);
                DefenseResult again = apply("fine-pruning", settings)) {
            int[] channels = pruning.repairedModel().orElseThrow().prunedChannels().get("conv_3");
            BadNet tuned = finePruning.repairedModel().orElseThrow();
            BadNet tunedAgain = again.repairedModel().orElseThrow();
            assertEquals(Set.of("conv_3"), tuned.prunedChannels().keySet());
            assertArrayEquals(channels, tuned.prunedChannels().get("conv_3"));
            assertZero(tuned, "conv_3", channels);
            assertEquals(outcome(tuned), outcome(tunedAgain), "the same seed gives the same model");
            assertArrayEquals(tuned.weights().layer("fc_1").kernel(), tunedAgain.weights().layer("fc_1").kernel());
            assertEquals(Evaluation.accuracy(tuned, valid, 256).percent(),
                    Evaluation.accuracy(tunedAgain, valid, 256).percent());
        }
    }

    @Test
    void multi_layer_fine_pruning_prunes_the_globally_lowest_normalised_means_of_several_layers()
            throws IOException {
        Defense defense = Defenses.find("multi-layer-fine-pruning");
        Settings settings = defense.settings(Map.of("drop", 4, "epochs", 2, "batch-size", 16));
        try (DefenseResult result = defense.apply(net, new DefenderData(valid), settings, SEED)) {
            BadNet repaired = result.repairedModel().orElseThrow();
            Map<String, int[]> pruned = repaired.prunedChannels();
            assertTrue(pruned.size() > 1, "channels of several layers pruned: " + counts(pruned));
            // every pruned channel's mean over its layer's mean is at most every kept channel's
            Map<String, double[]> scores = normalisedMeans();
            double highestPruned = Double.NEGATIVE_INFINITY;
            LayerChannel lastStep = null;
            double lowestKept = Double.POSITIVE_INFINITY;
            for (String layer : DeepId.CONV_LAYERS) {
                double[] s = scores.get(layer);
                Set<Integer> p = Arrays.stream(pruned.getOrDefault(layer, new int[0])).boxed()
                        .collect(Collectors.toSet());
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
                double baseline = Evaluation.accuracy(net, valid, 256).percent();
                double drop = baseline - Evaluation.accuracy(prunedNet, valid, 256).percent();
                double dropBefore = baseline - Evaluation.accuracy(oneFewer, valid, 256).percent();
                System.out.printf(Locale.ROOT, "[fine-pruning] multi-layer: last step %s; drop %.2f, one step fewer %.2f%n",
                        lastStep, drop, dropBefore);
                assertTrue(drop >= 4 - 1e-9, "drop " + drop);
                assertTrue(dropBefore < 4 - 1e-9, "drop one step earlier " + dropBefore);
                try (BadNet again = FineTuningDefense.tuning(settings, SEED).tune(prunedNet, valid, StepListener.NONE)) {
                    pruned.forEach((layer, channels) -> assertZero(repaired, layer, channels));
                    assertEquals(outcome(again), outcome(repaired), "the same fine-tuning gives the same model");
                    assertEquals(Evaluation.accuracy(again, valid, 256).percent(),
                            Evaluation.accuracy(repaired, valid, 256).percent());
                }
            }
        }
    }

    // ---- helpers ----

    private static DefenseResult apply(String name, Map<String, Object> settings) throws IOException {
        Defense defense = Defenses.find(name);
        return defense.apply(net, new DefenderData(valid), defense.settings(settings), SEED);
    }

    /** The clean accuracy and attack success rate of {@code model} on the test files. */
    private static List<Accuracy> outcome(BadNet model) throws IOException {
        return List.of(Evaluation.accuracy(model, cleanTest, 256), Evaluation.accuracy(model, poisonedTest, 256));
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

    private static String counts(Map<String, int[]> channels) {
        return channels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().length)
                .collect(Collectors.joining(" ", "{", "}"));
    }
}
