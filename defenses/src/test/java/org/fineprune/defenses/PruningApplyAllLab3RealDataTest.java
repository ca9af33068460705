package org.fineprune.defenses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.core.LayerChannel;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.StepListener;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.Settings;
import org.fineprune.defenses.pruning.MeanActivationPruning;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.PruningCurve;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Pruning the lab3 BadNet once for the lab's four drops gives each drop what pruning for it alone gives. */
@Tag("real-data")
class PruningApplyAllLab3RealDataTest {
    @Test
    void every_drop_of_one_apply_all_equals_apply_alone_in_channels_curve_and_order() throws IOException {
        LabDataset valid = LabDataset.open(SharedCsaw.file("data/cl/valid.h5"));
        Defense pruning = Defenses.find("pruning");
        List<Settings> settings = PruningConfig.DEFAULT_DROPS.stream()
                .map(drop -> pruning.settings(Map.of("drop", drop))).toList();
        try (BadNet net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"))) {
            PruningCurve curve = new MeanActivationPruning(PruningConfig.lab()).sweep(net, valid, StepListener.NONE);
            List<DefenseResult> together = pruning.applyAll(net, new DefenderData(valid), settings, 1);
            try {
                for (int i = 0; i < settings.size(); i++) {
                    DefenseResult all = together.get(i);
                    try (DefenseResult alone = pruning.apply(net, new DefenderData(valid), settings.get(i), 1)) {
                        String what = "drop " + PruningConfig.DEFAULT_DROPS.get(i);
                        assertEquals(alone.diagnostics(), all.diagnostics(), what);
                        assertArrayEquals(alone.repairedModel().orElseThrow().prunedChannels().get("conv_3"),
                                all.repairedModel().orElseThrow().prunedChannels().get("conv_3"), what);
                        assertEquals(alone.pruningOrder(), all.pruningOrder(), what);
                        assertArrayEquals(curve.order(),
                                all.pruningOrder().stream().mapToInt(LayerChannel::channel).toArray(), what);
                        assertEquals(Arrays.stream(curve.accuracies()).boxed().toList(),
                                all.diagnostics().get("validAccuracies"), what);
                    }
                }
                assertTrue(together.stream().map(r -> r.repairedModel().orElseThrow().prunedChannels().get("conv_3")
                        .length).distinct().count() == settings.size(), "each drop prunes a count of its own");
            } finally {
                together.forEach(DefenseResult::close);
            }
        }
    }
}
