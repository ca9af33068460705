package org.fineprune.defenses.anp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** ANP through the registry on the lab3 BadNet, with few iterations. */
@Tag("real-data")
class AnpLab3RealDataTest {
    @Test
    void prunes_the_conv_3_channels_whose_masks_fall_keeping_clean_accuracy() throws IOException {
        Defense anp = Defenses.find("anp");
        LabDataset valid = LabDataset.open(SharedCsaw.file("data/cl/valid.h5"));
        LabDataset test = LabDataset.open(SharedCsaw.file("data/cl/test.h5"));
        LabDataset poisoned = LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"));
        long began = System.nanoTime();
        try (BadNet net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"));
                DefenseResult result = anp.apply(net, new DefenderData(valid),
                        anp.settings(Map.of("iterations", 10, "batch-size", 32, "layers", "conv_3",
                                "rule", "count", "count", 4)), 1)) {
            double seconds = (System.nanoTime() - began) / 1e9;
            BadNet repaired = result.repairedModel().orElseThrow();
            double cleanBefore = Evaluation.accuracy(net, test, 64).percent();
            double cleanAfter = Evaluation.accuracy(repaired, test, 64).percent();
            // The poisoned images carry the target label: accuracy on them is the attack success rate.
            double asrBefore = Evaluation.accuracy(net, poisoned, 64).percent();
            double asrAfter = Evaluation.accuracy(repaired, poisoned, 64).percent();
            @SuppressWarnings("unchecked")
            Map<String, List<Double>> masks = (Map<String, List<Double>>) result.diagnostics().get("masks");
            System.out.printf("ANP on lab3 conv_3, 10 iterations of 32: %.1f s; pruned %s; clean %.1f -> %.1f %%,"
                    + " attack success %.1f -> %.1f %%%n", seconds, result.diagnostics().get("prunedChannels"),
                    cleanBefore, cleanAfter, asrBefore, asrAfter);
            assertEquals(Set.of("conv_3"), masks.keySet());
            assertEquals(60, result.pruningOrder().size());
            masks.get("conv_3").forEach(m -> assertTrue(m >= 0 && m <= 1, "mask " + m));
            // Most masks stay at 1 in so few iterations; the four pruned are among those that moved.
            int[] pruned = repaired.prunedChannels().get("conv_3");
            assertEquals(4, pruned.length);
            for (int c : pruned) {
                assertTrue(masks.get("conv_3").get(c) < 1, "pruned channel " + c + " kept mask 1: " + masks);
            }
            assertTrue(asrBefore > 90, "the lab3 BadNet's attack success rate " + asrBefore);
            assertTrue(cleanAfter > cleanBefore - 20, "clean accuracy " + cleanBefore + " -> " + cleanAfter);
        }
    }
}
