package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fineprune.core.testing.BadNetCache;
import org.fineprune.core.testing.RealData;
import org.fineprune.data.mnist.FashionMnist;
import org.fineprune.experiments.PointRecord.Scores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repair defenses from the field (issue 12) through the experiment machinery on the project's
 * default Fashion-MNIST BadNet of seed 1 (small CNN, 4x4 patch, 10% poisoned, target 0), with
 * settings cut down for CI: Neural Cleanse over all 10 classes with a short search (6 epochs, which
 * finds the target's trigger smallest but flags no class yet), ANP with 300 iterations, NAD with one
 * epoch each (neither moves the attack success rate much at that length), CLP at u = 2. It reuses the BadNet that the attacks
 * module's test leaves in the build's {@link BadNetCache} (trained first when run alone). The bounds
 * are the measured numbers with a margin; the test prints what it measured and each defense's time.
 */
@Tag("real-data")
class RepairDefensesFashionMnistRealDataTest {
    /** Clean test accuracy a repair may lose, in points. */
    private static final double CLEAN_LOSS = 5;

    @TempDir
    static Path dir;

    private static final Map<String, PointRecord> BY_DEFENSE = new LinkedHashMap<>();

    @BeforeAll
    static void runTheFourDefensesOnTheDefaultBadNet() throws IOException {
        RealData.require(FashionMnist.defaultDir(), "train-labels-idx1-ubyte.gz",
                "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`");
        long start = System.nanoTime();
        SweepResult result = Experiment.named("field-repair")
                .fashionMnist(FashionMnist.defaultDir(), BadNetCache.dir())
                .defenses("clp", "anp", "nad", "neural-cleanse")
                .with("u", 2)
                .with("iterations", 300).with("batch-size", 64)
                .with("teacher-epochs", 1).with("epochs", 1)
                .with("classes", "all").with("search-images", 500).with("search-epochs", 6).with("patience", 1)
                .run(dir.resolve("run"));
        System.out.printf(Locale.ROOT, "[field repair] %.1f s in all%n", (System.nanoTime() - start) / 1e9);
        for (PointRecord r : result.records()) {
            BY_DEFENSE.put(r.config().defense().name(), r);
            System.out.printf(Locale.ROOT, "[field repair] %s: %s; timings %s%n", r.point(), r.metrics().repaired(),
                    r.timings());
        }
    }

    @Test
    void neural_cleanse_reverses_the_smallest_trigger_for_the_target_class_0() {
        Map<String, Object> found = BY_DEFENSE.get("neural-cleanse").diagnostics();
        System.out.println("[field repair] neural-cleanse: mask norms " + found.get("maskNorms") + ", anomaly index "
                + found.get("anomalyIndex") + ", flagged " + found.get("flaggedClasses"));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), found.get("candidateClasses"));
        assertEquals(0, found.get("triggerClass"));
        List<Double> norms = numbers(found.get("maskNorms"));
        List<Double> index = numbers(found.get("anomalyIndex"));
        double median = norms.stream().sorted().skip(4).limit(2).mapToDouble(Double::doubleValue).average().orElseThrow();
        for (int c = 1; c < 10; c++) {
            assertTrue(norms.get(0) < norms.get(c), "class 0's mask is the smallest: " + norms);
            // Measured with 6 search epochs: class 0's mask (49) is not yet small enough for an index over 2.
            assertTrue(norms.get(c) > median || index.get(0) > index.get(c),
                    "class 0's anomaly index is the highest below the median: " + index);
        }
    }

    @Test
    void neural_cleanse_keeps_clean_accuracy() {
        assertKeepsCleanAccuracy(BY_DEFENSE.get("neural-cleanse"));
    }

    @Test
    void clp_prunes_the_outlier_channels_of_the_data_free_bound_and_keeps_clean_accuracy() {
        PointRecord clp = BY_DEFENSE.get("clp");
        // Measured: conv_1's channel 15 and conv_2's channel 10 lie 2.48 and 2.40 standard deviations above
        // their layer's mean, no other channel above 1.71.
        assertEquals(Map.of("conv_1", List.of(15), "conv_2", List.of(10)), clp.diagnostics().get("prunedChannels"));
        assertKeepsCleanAccuracy(clp);
    }

    @Test
    void anp_moves_masks_within_0_and_1_prunes_and_weakens_the_backdoor_keeping_clean_accuracy() {
        PointRecord anp = BY_DEFENSE.get("anp");
        Map<?, ?> masks = (Map<?, ?>) anp.diagnostics().get("masks");
        double lowest = masks.values().stream().flatMap(m -> numbers(m).stream()).mapToDouble(Double::doubleValue)
                .peek(m -> assertTrue(m >= 0 && m <= 1, "mask " + m)).min().orElseThrow();
        int pruned = ((Map<?, ?>) anp.diagnostics().get("prunedChannels")).values().stream()
                .mapToInt(c -> ((Collection<?>) c).size()).sum();
        System.out.printf(Locale.ROOT, "[field repair] anp: lowest mask %.3f, %d channels pruned%n", lowest, pruned);
        assertTrue(lowest < 1, "the masks moved");
        assertTrue(pruned >= 1, anp.diagnostics().get("prunedChannels").toString());
        assertKeepsCleanAccuracy(anp);
        // Measured: 92.5% after 300 iterations (conv_1's channel 7 and conv_2's 20 pruned, 38 s), against the
        // BadNet's 99.9%; 100 iterations leave 99.4% and 30 leave 99.9%, too few to test anything.
        assertTrue(anp.metrics().repaired().attackSuccessRate() < anp.metrics().badnet().attackSuccessRate() - 2,
                anp.metrics().toString());
    }

    @Test
    void nad_distils_a_student_that_keeps_clean_accuracy() {
        PointRecord nad = BY_DEFENSE.get("nad");
        assertTrue(((Number) nad.diagnostics().get("student-validation-accuracy")).doubleValue() > 80,
                nad.diagnostics().toString());
        assertKeepsCleanAccuracy(nad);
    }

    @Test
    void the_same_seed_gives_the_same_record_twice() throws IOException {
        // NAD trains (its batches and initial shuffles come from the seed): replayed from its record alone.
        Path nadOnly = dir.resolve("nad.jsonl");
        Files.write(nadOnly, Files.readAllLines(dir.resolve("run/results.jsonl")).stream()
                .filter(line -> line.contains("\"point\":\"defense=nad,")).toList());
        Replay.Result replay = Replay.replay(nadOnly, null, 0, Files.createDirectories(dir.resolve("replay")));
        assertEquals(1, replay.points().size());
        assertTrue(replay.points().get(0).reproduced(), replay.points().get(0).problems().toString());
    }

    /** The repaired model keeps clean test accuracy within {@link #CLEAN_LOSS} points of the BadNet's. */
    private static void assertKeepsCleanAccuracy(PointRecord record) {
        Scores badNet = record.metrics().badnet();
        Scores repaired = record.metrics().repaired();
        assertTrue(repaired.cleanAccuracy() >= badNet.cleanAccuracy() - CLEAN_LOSS, record.point() + ": " + repaired);
    }

    private static List<Double> numbers(Object list) {
        return ((List<?>) list).stream().map(n -> ((Number) n).doubleValue()).toList();
    }
}
