package org.fineprune.defenses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.StepListener;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.finepruning.ComparisonConfig;
import org.fineprune.defenses.finepruning.ComparisonReport;
import org.fineprune.defenses.finepruning.DefenseData;
import org.fineprune.defenses.finepruning.FinePruning;
import org.fineprune.defenses.finepruning.Phases;
import org.fineprune.defenses.finepruning.Variant;
import org.fineprune.defenses.finepruning.VariantResult;
import org.fineprune.defenses.finetuning.FineTuning;
import org.fineprune.defenses.pruning.MeanActivationPruning;
import org.fineprune.defenses.pruning.Outcome;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.PruningCurve;
import org.fineprune.defenses.pruning.RepairEvaluation;
import org.fineprune.defenses.pruning.RepairReport;
import org.fineprune.defenses.pruning.Selection;
import org.fineprune.defenses.pruning.SelectionRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The defenses found through the registry, run on the lab3 BadNet, give what the code behind them
 * gives on its own: the same pruned channels and the same accuracies.
 */
@Tag("real-data")
class DefensesLab3RealDataTest {
    private static final long SEED = 7;
    private static LabDataset valid;
    private static LabDataset cleanTest;
    private static LabDataset poisonedTest;
    private static BadNet net;
    private static ComparisonReport comparison;

    @BeforeAll
    static void compare() throws IOException {
        valid = LabDataset.open(SharedCsaw.file("data/cl/valid.h5"));
        cleanTest = LabDataset.open(SharedCsaw.file("data/cl/test.h5"));
        poisonedTest = LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"));
        net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"));
        comparison = FinePruning.compare(net, new DefenseData(valid, cleanTest, poisonedTest),
                ComparisonConfig.defaults().drop(4)
                        .fineTuning(FineTuning.DEFAULTS.withEpochs(2).withBatchSize(16).withSeed(SEED)),
                Phases.NONE);
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
        RepairReport.Row expected = RepairEvaluation.evaluate(net, layer, List.of(selection), cleanTest, poisonedTest,
                256).rows().get(0);

        Defense pruning = Defenses.find("pruning");
        try (DefenseResult result = pruning.apply(net, new DefenderData(valid),
                pruning.settings(Map.of("layer", layer, "drop", drop, "rule", rule)), SEED)) {
            BadNet repaired = result.repairedModel().orElseThrow();
            assertEquals(Map.of(layer, Arrays.stream(selection.channels()).boxed().toList()),
                    result.diagnostics().get("prunedChannels"));
            assertArrayEquals(selection.channels(), repaired.prunedChannels().get(layer));
            assertEquals(selection.validAccuracy(), result.diagnostics().get("validAccuracy"));
            assertEquals(selection.reached(), result.diagnostics().get("reached"));
            assertEquals(Arrays.stream(curve.accuracies()).boxed().toList(),
                    result.diagnostics().get("validAccuracies"));
            assertEquals(expected.repaired(), outcome(repaired));
            assertEquals(expected.goodNet(), outcome(result.inputDetector().orElseThrow()));
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void each_variant_of_the_comparison_is_a_defense_with_the_same_channels_and_scores(Variant variant)
            throws IOException {
        VariantResult expected = comparison.result(variant);
        Defense defense = Defenses.find(variant.label().replace(' ', '-'));
        Map<String, Object> given = new LinkedHashMap<>();
        if (variant != Variant.FINE_TUNING) {
            given.put("drop", 4);
        }
        if (variant != Variant.PRUNING) {
            given.putAll(Map.of("epochs", 2, "batch-size", 16));
        }
        try (DefenseResult result = defense.apply(net, new DefenderData(valid), defense.settings(given), SEED)) {
            BadNet repaired = result.repairedModel().orElseThrow();
            assertEquals(channels(expected.prunedChannels()), channels(repaired.prunedChannels()));
            assertEquals(expected.validAccuracy(), Evaluation.accuracy(repaired, valid, 256).percent());
            assertEquals(expected.repaired(), outcome(repaired));
            assertEquals(expected.goodNet(), outcome(result.inputDetector().orElseThrow()));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "pruning; layer=pool_3; 'pool_3' is not a convolution layer",
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

    private static Outcome outcome(org.fineprune.core.Classifier classifier) throws IOException {
        return new Outcome(Accuracy.of(Evaluation.classes(classifier, cleanTest, 256), Evaluation.labels(cleanTest)),
                Accuracy.of(Evaluation.classes(classifier, poisonedTest, 256), Evaluation.labels(poisonedTest)));
    }

    private static Map<String, List<Integer>> channels(Map<String, int[]> byLayer) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        byLayer.forEach((layer, c) -> out.put(layer, Arrays.stream(c).boxed().toList()));
        return out;
    }
}
