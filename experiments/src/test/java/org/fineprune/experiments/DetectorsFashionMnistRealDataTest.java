package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.fineprune.core.testing.BadNetCache;
import org.fineprune.core.testing.RealData;
import org.fineprune.data.mnist.FashionMnist;
import org.fineprune.experiments.PointRecord.DetectorScores;
import org.fineprune.experiments.PointRecord.TrainingDetectorScores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detectors from the field (issue 13) through the experiment machinery on the project's default
 * Fashion-MNIST BadNet of seed 1 (small CNN, 4x4 patch, 10% poisoned, target 0): STRIP on the test
 * images, with 8 overlays for CI, and Activation Clustering and Spectral Signatures on the BadNet's
 * poisoned training set (54,000 images, 4,861 of them poisoned). It reuses the BadNet that the
 * attacks module's test leaves in the build's {@link BadNetCache}. The bounds are the measured
 * numbers with a margin; the test prints what it measured and each detector's time.
 */
@Tag("real-data")
class DetectorsFashionMnistRealDataTest {
    /** Poisoned training images of the default BadNet of seed 1. */
    private static final int POISONED = 4861;

    @TempDir
    static Path dir;

    private static final Map<String, PointRecord> BY_DEFENSE = new LinkedHashMap<>();

    @BeforeAll
    static void runTheThreeDetectorsOnTheDefaultBadNet() throws IOException {
        RealData.require(FashionMnist.defaultDir(), "train-labels-idx1-ubyte.gz",
                "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`");
        long start = System.nanoTime();
        // Activation Clustering's size rule alone flags nothing here: class 0 is half poisoned (its clusters
        // hold 48% and 52%). Its silhouette, far above every other class's, tells it apart.
        SweepResult result = Experiment.named("field-detect")
                .fashionMnist(FashionMnist.defaultDir(), BadNetCache.dir())
                .defenses("strip", "activation-clustering", "spectral-signatures")
                .with("overlays", 8)
                .with("rule", "silhouette").with("size-threshold", 0.5).with("silhouette-threshold", 0.45)
                .run(dir.resolve("run"));
        System.out.printf(Locale.ROOT, "[field detect] %.1f s in all%n", (System.nanoTime() - start) / 1e9);
        for (PointRecord r : result.records()) {
            BY_DEFENSE.put(r.config().defense().name(), r);
            System.out.printf(Locale.ROOT, "[field detect] %s: %s; timings %s%n", r.point(),
                    r.metrics().detector() != null ? r.metrics().detector() : r.metrics().trainingDetector(),
                    r.timings());
        }
    }

    @Test
    void strip_flags_about_its_false_rejection_rate_of_clean_images_and_most_triggered_ones() {
        PointRecord strip = BY_DEFENSE.get("strip");
        DetectorScores scores = strip.metrics().detector();
        assertEquals(300L, ((Number) strip.diagnostics().get("validFlagged")).longValue(), "5% of 6,000");
        // Measured with 8 overlays: 4.6% of the clean test images, 69.8% of the triggered ones, AUROC 0.943.
        assertTrue(scores.cleanFlagged() > 2 && scores.cleanFlagged() < 9, "near the 5% FRR: " + scores);
        assertTrue(scores.poisonedFlagged() > 60, scores.toString());
        assertTrue(scores.auroc() > 0.9, scores.toString());
    }

    @Test
    void activation_clustering_flags_the_poisoned_training_samples_of_class_0_and_few_clean_ones() {
        PointRecord ac = BY_DEFENSE.get("activation-clustering");
        TrainingDetectorScores scores = ac.metrics().trainingDetector();
        Map<?, ?> classes = (Map<?, ?>) ac.diagnostics().get("classes");
        System.out.println("[field detect] activation-clustering per class: " + classes);
        // Measured: the 4,857 images of class 0's smaller cluster, 4,857 of the 4,861 poisoned, and no clean one.
        assertTrue(scores.poisonedFlagged() > 90, scores.toString());
        assertTrue(scores.cleanFlagged() < 1, scores.toString());
        for (Map.Entry<?, ?> c : classes.entrySet()) {
            int flagged = ((Number) ((Map<?, ?>) c.getValue()).get("flagged")).intValue();
            assertTrue(c.getKey().equals("0") ? flagged > 0 : flagged == 0, c.toString());
        }
    }

    @Test
    void spectral_signatures_flags_nearly_only_poisoned_samples_in_label_0_and_its_fixed_share_elsewhere() {
        PointRecord ss = BY_DEFENSE.get("spectral-signatures");
        TrainingDetectorScores scores = ss.metrics().trainingDetector();
        Map<?, ?> label0 = (Map<?, ?>) ((Map<?, ?>) ss.diagnostics().get("classes")).get("0");
        int flaggedIn0 = ((Number) label0.get("flagged")).intValue();
        // 1.5 x the expected 10% of label 0, nearly all poisoned (measured: 1,535 of 1,537), while label 0
        // holds far more poison than 15%; every poisoned sample is labelled 0.
        long poisonedFlagged = Math.round(scores.poisonedFlagged() * POISONED / 100);
        assertTrue(poisonedFlagged <= flaggedIn0 && poisonedFlagged >= flaggedIn0 - 5, scores + ", label 0: " + label0);
        assertTrue(scores.cleanFlagged() > 12 && scores.cleanFlagged() < 15, scores.toString());
        assertTrue(scores.auroc() > 0.85, scores.toString());
    }

    @Test
    void the_same_seed_gives_the_same_record_twice() throws IOException {
        // STRIP draws its overlay images with the seed: replayed from its record alone.
        Path stripOnly = dir.resolve("strip.jsonl");
        Files.write(stripOnly, Files.readAllLines(dir.resolve("run/results.jsonl")).stream()
                .filter(line -> line.contains("\"point\":\"defense=strip,")).toList());
        Replay.Result replay = Replay.replay(stripOnly, null, 0, Files.createDirectories(dir.resolve("replay")));
        assertEquals(1, replay.points().size());
        assertTrue(replay.points().get(0).reproduced(), replay.points().get(0).problems().toString());
    }
}
