package org.fineprune.defenses.neuralcleanse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Neural Cleanse on the lab3 sunglasses BadNet (target 0) through the registry, with small settings. */
class NeuralCleanseLab3RealDataTest {
    @Test
    @Tag("real-data")
    void screens_searches_and_unlearns_on_the_lab3_badnet() throws IOException {
        Defense cleanse = Defenses.find("neural-cleanse");
        LabDataset valid = LabDataset.open(SharedCsaw.file("data/cl/valid.h5"));
        LabDataset poisoned = LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"));
        try (BadNet net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"));
                DefenseResult result = cleanse.apply(net, new DefenderData(valid), cleanse.settings(Map.of(
                        "top-k", 5, "search-epochs", 8, "epochs", 2)), 1)) {
            Map<String, Object> d = result.diagnostics();
            List<?> candidates = (List<?>) d.get("candidateClasses");
            List<?> norms = (List<?>) d.get("maskNorms");
            double before = Evaluation.accuracy(net, poisoned, 64).percent();
            double after = Evaluation.accuracy(result.repairedModel().orElseThrow(), poisoned, 64).percent();
            System.out.println("lab3 neural-cleanse: candidates " + candidates + ", mask norms " + norms
                    + ", anomaly index " + d.get("anomalyIndex") + ", attack success " + d.get("triggerAttackSuccess")
                    + ", flagged " + d.get("flaggedClasses") + "; screen " + d.get("screenSeconds") + " s, search "
                    + d.get("searchSeconds") + " s, repair " + d.get("repairSeconds") + " s; attack success on"
                    + " bd_test " + before + "% -> " + after + "%");
            // More than 50 classes: the screen's top 5, not all 1283.
            assertEquals(5, candidates.size());
            assertEquals(5, norms.size());
            // A trigger for any face class covers far less than the whole 55x47 plane.
            norms.forEach(n -> assertTrue(((Number) n).doubleValue() > 0 && ((Number) n).doubleValue() < 55 * 47, "" + n));
            assertTrue(after <= before, "attack success " + before + " -> " + after);
        }
    }
}
