package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.ScoringDetector;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * STRIP with its defaults (64 overlays) on the lab3 BadNet, calibrated on {@code cl/valid.h5} and
 * scored on {@code cl/test.h5} and {@code bd/bd_test.h5}: one pass per test image gives the metrics
 * of the former two, in about half the time (both times are printed; 113 s and 55 s on a shared
 * two-core machine). Tagged slow: it runs STRIP three times over lab3's test images.
 */
@Tag("real-data")
@Tag("slow")
class StripLab3ScoringRealDataTest {
    @Test
    void strip_is_scored_in_one_pass_per_image_with_the_metrics_of_two() throws IOException {
        try (BadNet net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"), ModelOptions.defaults().withDevice("cpu"))) {
            Bench bench = new Bench(net, Map.of(),
                    new DefenderData(LabDataset.open(SharedCsaw.file("data/cl/valid.h5"), net)),
                    LabDataset.open(SharedCsaw.file("data/cl/test.h5"), net),
                    LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"), net), null);
            Defense strip = Defenses.find("strip");
            try (DefenseResult result = strip.apply(net, bench.defender(), strip.settings(Map.of()), 1)) {
                Scorer scorer = new Scorer(bench, 64);
                StripScoringTest.Counted once = new StripScoringTest.Counted((ScoringDetector) result.detector());
                StripScoringTest.Apart apart = new StripScoringTest.Apart((ScoringDetector) result.detector());

                long start = System.nanoTime();
                PointRecord.Metrics twoPasses = scorer.score(new DefenseResult(null, apart, Map.of())).metrics();
                double before = (System.nanoTime() - start) / 1e9;
                start = System.nanoTime();
                PointRecord.Metrics onePass = scorer.score(new DefenseResult(null, once, Map.of())).metrics();
                double after = (System.nanoTime() - start) / 1e9;

                assertEquals(twoPasses, onePass);
                assertEquals(56 + 71, once.images);
                assertEquals(2 * (56 + 71), apart.images);
                System.out.printf(Locale.ROOT, "STRIP (64 overlays) scored on lab3's 56 clean and 71 poisoned test"
                        + " images: %.1f s in two passes, %.1f s in one; AUROC %.4f%n", before, after,
                        onePass.detector().auroc());
            }
        }
    }
}
