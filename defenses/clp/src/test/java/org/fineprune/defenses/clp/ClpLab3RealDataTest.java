package org.fineprune.defenses.clp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * CLP on the lab3 BadNet through the registry. DeepID has no batch normalisation, so the bounds are
 * the raw kernels' spectral norms: at the default u = 3 no channel of any layer is an outlier; at u
 * = 2 six of its 200 channels are, and pruning them keeps clean accuracy but not the backdoor out
 * (the sunglasses backdoor does not live in high-Lipschitz channels of this network).
 */
@Tag("real-data")
class ClpLab3RealDataTest {
    private static final Defense CLP = Defenses.find("clp");
    private static LabDataset valid;
    private static LabDataset cleanTest;
    private static LabDataset poisonedTest;
    private static BadNet net;

    @BeforeAll
    static void load() {
        valid = LabDataset.open(SharedCsaw.file("data/cl/valid.h5"));
        cleanTest = LabDataset.open(SharedCsaw.file("data/cl/test.h5"));
        poisonedTest = LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"));
        net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"), ModelOptions.defaults());
    }

    @AfterAll
    static void closeNet() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void at_the_default_u_no_channel_of_deepid_is_an_outlier() throws IOException {
        try (DefenseResult result = CLP.apply(net, new DefenderData(valid), CLP.defaults(), 1)) {
            assertEquals(Map.of("conv_1", List.of(), "conv_2", List.of(), "conv_3", List.of(), "conv_4", List.of()),
                    result.diagnostics().get("prunedChannels"));
            assertTrue(result.repairedModel().orElseThrow().prunedChannels().isEmpty());
        }
    }

    @Test
    void at_u_2_a_few_channels_go_clean_accuracy_stays_and_so_does_the_backdoor() throws IOException {
        double cleanBefore = Evaluation.accuracy(net, cleanTest, 256).percent();
        try (DefenseResult result = CLP.apply(net, new DefenderData(valid), CLP.settings(Map.of("u", 2)), 1)) {
            BadNet repaired = result.repairedModel().orElseThrow();
            @SuppressWarnings("unchecked")
            Map<String, List<Integer>> pruned = (Map<String, List<Integer>>) result.diagnostics().get("prunedChannels");
            double clean = Evaluation.accuracy(repaired, cleanTest, 256).percent();
            double attack = Evaluation.accuracy(repaired, poisonedTest, 256).percent();
            System.out.printf("CLP u=2 on lab3: pruned %s; clean %.1f%% -> %.1f%%, attack success %.1f%%%n", pruned,
                    cleanBefore, clean, attack);
            int total = pruned.values().stream().mapToInt(List::size).sum();
            assertTrue(total >= 1 && total <= 20, "a few outliers in 200 channels, not " + total);
            pruned.forEach((layer, channels) -> assertEquals(channels, Arrays.stream(
                    repaired.prunedChannels().getOrDefault(layer, new int[0])).boxed().toList()));
            assertTrue(clean >= cleanBefore - 5, "clean accuracy " + clean + " of " + cleanBefore);
            assertTrue(attack > 90, "attack success " + attack);
        }
    }
}
