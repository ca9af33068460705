package org.fineprune.defenses.nad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.FinepruneException;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NAD on the lab3 BadNet (DeepID, 1283 classes) through the registry, one epoch each for teacher
 * and student on the lab's 72 clean validation images, scored on its clean and poisoned test files.
 * This BadNet takes raw 0..255 pixels, so it is trained as Fineprune fine-tunes it (Adam at 0.001);
 * the reference's SGD at 0.01 diverges on it, which NAD reports in one line.
 */
@Tag("real-data")
class NadLab3RealDataTest {
    @Test
    void one_epoch_of_nad_on_lab3_distils_the_last_three_convolutions_and_reports_what_it_did() throws IOException {
        LabDataset valid = LabDataset.open(SharedCsaw.file("data/cl/valid.h5"));
        LabDataset cleanTest = LabDataset.open(SharedCsaw.file("data/cl/test.h5"));
        LabDataset poisonedTest = LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"));
        Defense nad = Defenses.find("nad");
        try (BadNet net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"));
                DefenseResult result = nad.apply(net, new DefenderData(valid),
                        nad.settings(Map.of("teacher-epochs", 1, "epochs", 1, "batch-size", 16,
                                "optimizer", "adam", "learning-rate", 1e-3)), 7)) {
            BadNet student = result.repaired();
            Accuracy before = Evaluation.accuracy(net, cleanTest, Evaluation.DEFAULT_BATCH);
            Accuracy clean = Evaluation.accuracy(student, cleanTest, Evaluation.DEFAULT_BATCH);
            Accuracy attack = Evaluation.accuracy(student, poisonedTest, Evaluation.DEFAULT_BATCH);
            System.out.printf("nad on lab3: clean test %s (BadNet %s), attack success %s, diagnostics %s%n", clean,
                    before, attack, result.diagnostics());

            @SuppressWarnings("unchecked")
            Map<String, Double> losses = (Map<String, Double>) result.diagnostics().get("attention-loss");
            assertEquals(List.of("conv_2", "conv_3", "conv_4"), List.copyOf(losses.keySet()));
            assertTrue(losses.values().stream().allMatch(loss -> loss >= 0 && loss < 1), losses.toString());
            double teacher = (Double) result.diagnostics().get("teacher-validation-accuracy");
            double distilled = (Double) result.diagnostics().get("student-validation-accuracy");
            assertTrue(teacher > 50 && distilled > 50, result.diagnostics().toString());
            assertTrue(clean.percent() > before.percent() - 20, clean + " after NAD, " + before + " before");
        }
    }

    @Test
    void the_reference_learning_rate_diverges_on_raw_pixels_and_says_so_in_one_line() {
        Defense nad = Defenses.find("nad");
        try (BadNet net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"))) {
            FinepruneException e = assertThrows(FinepruneException.class, () -> nad.apply(net,
                    new DefenderData(LabDataset.open(SharedCsaw.file("data/cl/valid.h5"))),
                    nad.settings(Map.of("teacher-epochs", 1, "epochs", 1, "batch-size", 16)), 7));
            assertTrue(e.getMessage().startsWith("distillation diverged: the loss is NaN in epoch 1 at learning rate"
                    + " 0.01"), e.getMessage());
        }
    }
}
