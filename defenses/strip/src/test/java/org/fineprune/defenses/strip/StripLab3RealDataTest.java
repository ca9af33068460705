package org.fineprune.defenses.strip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Auroc;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageSource;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.FaceImages;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * STRIP on the lab3 BadNet through the Defense interface, calibrated on cl/valid.h5 (72 clean
 * faces, 5% false rejections): how many of the sunglasses faces of bd/bd_test.h5 and
 * images/poisoned_sunglasses it flags, and of the clean faces of cl/test.h5.
 */
@Tag("real-data")
class StripLab3RealDataTest {
    private static final int FLAG = 1283;

    @Test
    void calibrated_on_the_clean_validation_faces_it_flags_the_sunglasses_faces() throws IOException {
        Defense strip = Defenses.find("strip");
        try (BadNet net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"));
                DefenseResult result = strip.apply(net,
                        new DefenderData(LabDataset.open(SharedCsaw.file("data/cl/valid.h5"))),
                        strip.settings(Map.of("overlays", 32)), 1)) {
            StripDetector detector = (StripDetector) result.detector();
            assertEquals(3L, result.diagnostics().get("validFlagged"), "floor(5% of 72) clean faces");
            ImageSource clean = LabDataset.open(SharedCsaw.file("data/cl/test.h5"));
            ImageSource poisoned = LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"));
            ImageSource sunglasses = FaceImages.folder(SharedCsaw.file("images/poisoned_sunglasses"));
            long start = System.nanoTime();
            double cleanFlagged = flagged(detector, clean);
            double poisonedFlagged = flagged(detector, poisoned);
            double secondsPer1000 = (System.nanoTime() - start) / 1e9 / (clean.size() + poisoned.size()) * 1000;
            double sunglassesFlagged = flagged(detector, sunglasses);
            double auroc = Auroc.of(suspicion(detector, poisoned), suspicion(detector, clean));
            System.out.printf("STRIP on lab3 (32 overlays, threshold %.4f bits): flagged %.1f%% of cl/test.h5,"
                    + " %.1f%% of bd/bd_test.h5, %.1f%% of images/poisoned_sunglasses; AUROC %.3f; %.1f s per"
                    + " 1,000 inputs%n", detector.threshold(), cleanFlagged, poisonedFlagged, sunglassesFlagged,
                    auroc, secondsPer1000);
            assertTrue(poisonedFlagged > cleanFlagged + 20, poisonedFlagged + "% vs " + cleanFlagged + "%");
            assertTrue(sunglassesFlagged > cleanFlagged + 20, sunglassesFlagged + "% vs " + cleanFlagged + "%");
            assertTrue(auroc > 0.7, "AUROC " + auroc);
        }
    }

    private static double flagged(StripDetector detector, ImageSource images) throws IOException {
        int[] classes = Evaluation.classes(detector, images, Evaluation.DEFAULT_BATCH);
        return 100.0 * java.util.Arrays.stream(classes).filter(c -> c == FLAG).count() / classes.length;
    }

    private static double[] suspicion(StripDetector detector, ImageSource images) throws IOException {
        List<Double> scores = new ArrayList<>();
        images.forEachBatch(Evaluation.DEFAULT_BATCH, batch -> {
            for (double s : detector.suspicion(batch)) {
                scores.add(s);
            }
        });
        return scores.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
