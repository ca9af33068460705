package org.fineprune.defenses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.Classifier;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageSource;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.StepListener;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.pruning.MeanActivationPruning;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.PruningCurve;
import org.fineprune.defenses.pruning.Selection;
import org.fineprune.defenses.pruning.SelectionRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The defenses found through the registry, run on the lab3 BadNet, give what the code behind them
 * gives on its own, and what Fine-Pruning's four-way comparison gave before it became a sweep over
 * the defense axis.
 *
 * <p>{@code lab3-comparison-golden.json} holds the comparison's results (drop 4, fine-tuning 2 epochs
 * of batch 16 with seed 7, PyTorch on the CPU, the lab's small valid/test/bd_test files): each
 * defense's pruned channels by layer, validation accuracy, and the hits of the repaired model and of
 * its GoodNet on the clean and poisoned test files. A throwaway program wrote it with {@code
 * FinePruning.compare} at commit cf7b481, before that method was deleted.
 */
@Tag("real-data")
class DefensesLab3RealDataTest {
    private static final long SEED = 7;
    private static LabDataset valid;
    private static LabDataset cleanTest;
    private static LabDataset poisonedTest;
    private static BadNet net;
    private static JsonNode golden;

    @BeforeAll
    static void load() throws IOException {
        valid = LabDataset.open(SharedCsaw.file("data/cl/valid.h5"));
        cleanTest = LabDataset.open(SharedCsaw.file("data/cl/test.h5"));
        poisonedTest = LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"));
        net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"));
        try (InputStream in = DefensesLab3RealDataTest.class.getResourceAsStream("lab3-comparison-golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    @AfterAll
    static void closeNet() {
        if (net != null) {
            net.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"conv_3, 2, first-over", "conv_3, 10, last-under", "conv_2, 4, first-over"})
    void pruning_prunes_the_channels_of_mean_activation_pruning_with_the_same_scores(String layer, double drop,
            String rule) throws IOException {
        PruningConfig config = PruningConfig.lab().layer(layer).drops(drop).rule(SelectionRule.fromLabel(rule));
        PruningCurve curve = new MeanActivationPruning(config).sweep(net, valid, StepListener.NONE);
        Selection selection = curve.select(config.drops(), config.rule()).get(0);

        Defense pruning = Defenses.find("pruning");
        try (DefenseResult result = pruning.apply(net, new DefenderData(valid),
                pruning.settings(Map.of("layer", layer, "drop", drop, "rule", rule)), SEED);
                BadNet expected = net.pruned(layer, selection.channels())) {
            BadNet repaired = result.repairedModel().orElseThrow();
            assertEquals(Map.of(layer, Arrays.stream(selection.channels()).boxed().toList()),
                    result.diagnostics().get("prunedChannels"));
            assertArrayEquals(selection.channels(), repaired.prunedChannels().get(layer));
            assertEquals(selection.validAccuracy(), result.diagnostics().get("validAccuracy"));
            assertEquals(selection.reached(), result.diagnostics().get("reached"));
            assertEquals(Arrays.stream(curve.accuracies()).boxed().toList(),
                    result.diagnostics().get("validAccuracies"));
            assertEquals(hits(expected), hits(repaired));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fine-tuning", "pruning", "fine-pruning", "multi-layer-fine-pruning"})
    void each_defense_gives_the_channels_and_scores_of_the_comparison_before_it_was_a_sweep(String name)
            throws IOException {
        JsonNode expected = golden.get("defenses").get(name);
        Defense defense = Defenses.find(name);
        Map<String, Object> given = new LinkedHashMap<>();
        if (!name.equals("fine-tuning")) {
            given.put("drop", 4);
        }
        if (!name.equals("pruning")) {
            given.putAll(Map.of("epochs", 2, "batch-size", 16));
        }
        try (DefenseResult result = defense.apply(net, new DefenderData(valid), defense.settings(given), SEED)) {
            BadNet repaired = result.repairedModel().orElseThrow();
            Classifier goodNet = result.inputDetector().orElseThrow();
            assertEquals(channels(expected.get("prunedChannels")), channels(repaired.prunedChannels()));
            assertEquals(expected.get("validAccuracy").doubleValue(), Evaluation.accuracy(repaired, valid, 256).percent());
            assertEquals(hits(expected.get("repaired")), hits(repaired), "repaired model's clean and attack hits");
            assertEquals(hits(expected.get("goodNet")), hits(goodNet), "GoodNet's clean and attack hits");
            int flag = net.architecture().classes();
            assertEquals(expected.get("cleanFlagged").get("hits").longValue(), flagged(goodNet, cleanTest, flag));
            assertEquals(expected.get("poisonedFlagged").get("hits").longValue(), flagged(goodNet, poisonedTest, flag));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "pruning; layer=pool_3; 'pool_3' is not a convolution layer",
        "pruning; layer=conv_9; 'conv_9' is not a convolution layer of DeepID",
        "fine-pruning; layer=conv_9; 'conv_9' is not a convolution layer of DeepID",
        "multi-layer-fine-pruning; layers=conv_9; 'conv_9' is not a convolution layer of DeepID",
        "multi-layer-fine-pruning; layers=conv_1,conv_9; 'conv_9' is not a convolution layer",
        "multi-layer-fine-pruning; fractions=0.5; 1 fractions for 4 layers [conv_1, conv_2, conv_3, conv_4]"})
    void settings_that_do_not_fit_the_network_are_refused_naming_what_is_wrong(String name, String setting,
            String message) {
        Defense defense = Defenses.find(name);
        String[] kv = setting.split("=", 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> defense.apply(net, new DefenderData(valid), defense.settings(Map.of(kv[0], kv[1])), SEED));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** Clean-test hits (classified as their label) and poisoned-test hits (classified as the target). */
    private static List<Long> hits(Classifier classifier) throws IOException {
        List<Long> hits = new ArrayList<>();
        for (ImageSource set : List.of(cleanTest, poisonedTest)) {
            Accuracy a = Accuracy.of(Evaluation.classes(classifier, set, 256), Evaluation.labels(set));
            hits.addAll(List.of(a.hits(), a.total()));
        }
        return hits;
    }

    private static List<Long> hits(JsonNode outcome) {
        List<Long> hits = new ArrayList<>();
        for (String set : List.of("clean", "attack")) {
            hits.addAll(List.of(outcome.get(set).get("hits").longValue(), outcome.get(set).get("total").longValue()));
        }
        return hits;
    }

    private static long flagged(Classifier goodNet, ImageSource set, int flag) throws IOException {
        return Accuracy.ofClass(Evaluation.classes(goodNet, set, 256), flag).hits();
    }

    private static Map<String, List<Integer>> channels(Map<String, int[]> byLayer) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        byLayer.forEach((layer, c) -> out.put(layer, Arrays.stream(c).boxed().toList()));
        return out;
    }

    private static Map<String, List<Integer>> channels(JsonNode byLayer) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        byLayer.fields().forEachRemaining(e -> {
            List<Integer> c = new ArrayList<>();
            e.getValue().forEach(n -> c.add(n.intValue()));
            out.put(e.getKey(), c);
        });
        return out;
    }
}
