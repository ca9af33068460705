package org.fineprune.defenses.activationclustering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.fineprune.core.Auroc;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageShape;
import org.fineprune.core.testing.Mixture;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.SampleFlags;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lab3 BadNet through the {@link org.fineprune.defenses.api.Defense} interface, the mixture of
 * {@code cl/test.h5} (56 clean) and {@code bd/bd_test.h5} (71 sunglasses, labelled 0) standing in
 * for a poisoned training set. The BadNet gives all 71 sunglasses images the target 0 and each
 * clean face a class of its own, so the only class with samples to cluster is the target, and it
 * is poisoned through and through: its two clusters (31 and 40 on PyTorch) are both poisoned and
 * neither is flagged. The numbers are printed whatever they are; the clean faces, alone in their
 * classes, score 0, which makes the AUROC 1 without telling anything.
 */
@Tag("real-data")
class ActivationClusteringLab3Test {
    @Test
    void clusters_the_target_class_which_holds_exactly_the_sunglasses_images() throws Exception {
        ActivationClusteringDefense defense = new ActivationClusteringDefense();
        try (BadNet net = BadNet.keras(SharedCsaw.file("models/bd_weights.h5")).load("PyTorch", "cpu")) {
            Mixture mixture = Mixture.of(LabDataset.open(SharedCsaw.file("data/cl/test.h5"), net),
                    LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"), net), ImageShape.DEEPID);
            DefenderData data = new DefenderData(LabDataset.open(SharedCsaw.file("data/cl/valid.h5"), net),
                    mixture.images());
            try (DefenseResult result = defense.apply(net, data, defense.settings(Map.of("batch-size", 64)), 1)) {
                SampleFlags flags = result.sampleFlags();
                boolean[] truth = mixture.poisoned();
                boolean[] flagged = flags.flagged();
                int truePositives = 0;
                int falsePositives = 0;
                for (int i = 0; i < truth.length; i++) {
                    truePositives += truth[i] && flagged[i] ? 1 : 0;
                    falsePositives += !truth[i] && flagged[i] ? 1 : 0;
                }
                Double auroc = Auroc.of(flags.scores(), truth);
                System.out.printf("activation-clustering on lab3 (56 clean + 71 poisoned): TPR %d/71, FPR %d/56,"
                        + " AUROC %.3f, classes %s%n", truePositives, falsePositives, auroc,
                        result.diagnostics().get("classes"));
                assertEquals("activation_1", result.diagnostics().get("layer"));
                assertEquals(127, flags.size());
                Map<?, ?> classes = (Map<?, ?>) result.diagnostics().get("classes");
                assertEquals(java.util.Set.of("0"), classes.keySet());
                Map<?, ?> target = (Map<?, ?>) classes.get("0");
                assertEquals(71, ((java.util.List<?>) target.get("sizes")).stream().mapToInt(s -> (Integer) s).sum(),
                        target.toString());
            }
        }
    }
}
