package org.fineprune.defenses.spectralsignatures;

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
 * for a poisoned training set. Label 0 holds exactly the 71 sunglasses images (no clean test face
 * has it), so the floor(0.15 x 71) = 10 it flags there are all poisoned; each clean face, alone with its label,
 * scores 0, which makes the AUROC 1 without telling anything. The numbers are printed whatever they are.
 */
@Tag("real-data")
class SpectralSignaturesLab3Test {
    @Test
    void flags_a_sixth_of_label_0_which_holds_exactly_the_sunglasses_images() throws Exception {
        SpectralSignaturesDefense defense = new SpectralSignaturesDefense();
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
                System.out.printf("spectral-signatures on lab3 (56 clean + 71 poisoned): TPR %d/71, FPR %d/56,"
                        + " AUROC %.3f, label 0: %s%n", truePositives, falsePositives, auroc,
                        ((Map<?, ?>) result.diagnostics().get("classes")).get("0"));
                assertEquals("activation_1", result.diagnostics().get("layer"));
                                Map<?, ?> target = (Map<?, ?>) ((Map<?, ?>) result.diagnostics().get("classes")).get("0");
                assertEquals(71, target.get("samples"), target.toString());
                assertEquals(10, target.get("flagged"));
                assertEquals(10, truePositives);
                assertEquals(0, falsePositives);
            }
        }
    }
}
