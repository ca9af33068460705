package org.fineprune.defenses.activationclustering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fineprune.core.Auroc;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageShape;
import org.fineprune.core.testing.Mixture;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.DefenseResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lab3 BadNet through the {@link org.fineprune.defenses.api.Defense} interface, the mixture of
 * {@code cl/test.h5} (56 clean) and {@code bd/bd_test.h5} (71 sunglasses, labelled 0) standing in
 * for a poisoned training set. The BadNet gives all 71 sunglasses images the target 0 and each
 * clean face a class of its own, so the only class with samples to cluster is the target, and it
 * is poisoned through and through: its two clusters (31 and 40 on PyTorch) are both poisoned and
 * neither is flagged by the size rule. With {@code rule=silhouette} and {@code size-threshold=0.5},
 * the setting for a half-poisoned class, the smaller cluster is flagged when the split's silhouette
 * exceeds 0.1: poisoned images only. The numbers are printed whatever they are; the clean faces,
 * alone in their classes, score 0, which makes the AUROC 1 without telling anything.
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
            Map<?, ?> target;
            try (DefenseResult result = defense.apply(net, data, defense.settings(Map.of("batch-size", 64)), 1)) {
                int[] positives = print("size rule", result, mixture.poisoned());
                assertEquals("activation_1", result.diagnostics().get("layer"));
                assertEquals(127, result.sampleFlags().size());
                Map<?, ?> classes = (Map<?, ?>) result.diagnostics().get("classes");
                assertEquals(java.util.Set.of("0"), classes.keySet());
                target = (Map<?, ?>) classes.get("0");
                assertEquals(71, sizes(target).stream().mapToInt(s -> s).sum(), target.toString());
                assertEquals(List.of(0, 0), List.of(positives[0], positives[1]), "neither cluster is below 35%");
            }
            // The rule for a half-poisoned class: the smaller cluster below half of it, if the split is clean enough.
            try (DefenseResult result = defense.apply(net, data, defense.settings(Map.of("batch-size", 64,
                    "rule", "silhouette", "size-threshold", 0.5)), 1)) {
                int[] positives = print("silhouette rule, size-threshold 0.5", result, mixture.poisoned());
                Map<?, ?> same = (Map<?, ?>) ((Map<?, ?>) result.diagnostics().get("classes")).get("0");
                assertEquals(target.get("sizes"), same.get("sizes"), "the clustering does not depend on the rule");
                int smaller = Math.min(sizes(target).get(0), sizes(target).get(1));
                int expected = (Double) target.get("silhouette") > 0.1 ? smaller : 0;
                assertEquals(List.of(expected, 0), List.of(positives[0], positives[1]));
            }
        }
    }

    private static List<Integer> sizes(Map<?, ?> target) {
        return ((List<?>) target.get("sizes")).stream().map(s -> (Integer) s).toList();
    }

    /** Prints the true and false positives and the AUROC of {@code result}'s flags, and returns the two counts. */
    private static int[] print(String rule, DefenseResult result, boolean[] truth) {
        boolean[] flagged = result.sampleFlags().flagged();
        int truePositives = 0;
        int falsePositives = 0;
        for (int i = 0; i < truth.length; i++) {
            truePositives += truth[i] && flagged[i] ? 1 : 0;
            falsePositives += !truth[i] && flagged[i] ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "activation-clustering (%s) on lab3 (56 clean + 71 poisoned): TPR %d/71, FPR %d/56,"
                + " AUROC %.3f, classes %s%n", rule, truePositives, falsePositives,
                Auroc.of(result.sampleFlags().scores(), truth), result.diagnostics().get("classes"));
        return new int[] {truePositives, falsePositives};
    }
}
