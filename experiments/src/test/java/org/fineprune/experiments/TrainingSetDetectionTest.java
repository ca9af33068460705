package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fineprune.attacks.BadNetTraining;
import org.fineprune.attacks.PoisonConfig;
import org.fineprune.attacks.PoisonedSet;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.Progress;
import org.fineprune.data.LabData;
import org.fineprune.data.mnist.FashionMnist;
import org.fineprune.data.testing.LabFolderFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training-set detector through the experiment machinery, on a generated Fashion-MNIST folder
 * (200 training, 40 test images) whose BadNet is put in the cache beforehand (random weights): the
 * defender gets the poisoned training set, the scorer knows which samples were poisoned, and the
 * record carries the detector's rates; a lab subject, which has no training set, is refused before
 * any work.
 */
class TrainingSetDetectionTest {
    private static final long SEED = 5;

    /** The attack of the default subject's BadNet of seed {@code SEED}. */
    private static final PoisonConfig POISON =
            FashionMnistSubject.of(Path.of("fashion"), Path.of("cache")).recipe(SEED).poison();

    @TempDir
    static Path dir;

    @BeforeAll
    static void generate() throws IOException {
        GeneratedFashionMnist.write(dir, SEED);
    }

    private static FashionMnistSubject subject() {
        return FashionMnistSubject.of(dir.resolve("fashion"), dir.resolve("cache"));
    }

    @Test
    void the_fashion_bench_holds_the_poisoned_training_set_and_knows_its_poisoned_samples() throws IOException {
        PoisonedSet expected = BadNetTraining.trainingSet(FashionMnist.load(dir.resolve("fashion")),
                POISON, SEED);
        try (Bench bench = subject().open("PyTorch", "cpu", SEED, Progress.NONE)) {
            var training = bench.defender().trainingSet().orElseThrow();
            assertEquals(180, training.size()); // 200 less the held-out tenth
            assertArrayEquals(expected.labels(), Evaluation.labels(training));
            assertEquals(expected.poisonedCount(), count(bench.poisonedTraining()));
            for (int i : expected.poisonedIndices()) {
                assertTrue(bench.poisonedTraining()[i]);
            }
        }
    }

    @Test
    void a_sweep_records_the_training_detector_rates_against_the_truth() throws IOException {
        PoisonedSet truth = BadNetTraining.trainingSet(FashionMnist.load(dir.resolve("fashion")),
                POISON, SEED);
        int[] labels = truth.labels();
        int cleanZeros = 0;
        for (int i = 0; i < labels.length; i++) {
            cleanZeros += labels[i] == 0 && !truth.isPoisoned(i) ? 1 : 0;
        }
        double cleanShare = cleanZeros / (double) (labels.length - truth.poisonedCount());

        SweepResult result = Experiment.named("training").subject(subject()).defense("label-zero")
                .sweep(Sweep.none().seeds(SEED)).run(dir.resolve("run"));

        PointRecord record = Records.read(dir.resolve("run")).get(0);
        assertEquals(result.records(), List.of(record));
        PointRecord.TrainingDetectorScores scores = record.metrics().trainingDetector();
        assertEquals(100.0, scores.poisonedFlagged());
        assertEquals(100 * cleanShare, scores.cleanFlagged(), 1e-9);
        assertEquals(1 - cleanShare / 2, scores.auroc(), 1e-9); // poisoned all score 1, clean ones 1 with this share
        assertEquals(truth.poisonedCount() + cleanZeros, record.diagnostics().get("flagged"));
        assertNull(record.metrics().repaired());
        assertNull(record.metrics().detector());
        assertTrue(Files.readString(dir.resolve("run/results.jsonl")).contains("\"training_detector\":{"));
    }

    @Test
    void a_training_set_detector_on_a_lab_subject_is_refused_before_any_work() throws IOException {
        LabFolderFixture.LabFolder lab = LabFolderFixture.write(dir.resolve("lab"), 7);
        ExperimentPlan plan = Experiment.named("lab").model(BadNet.keras(lab.weights()))
                .data(LabData.at(lab.dataDir())).defense("label-zero").sweep(Sweep.none());
        Path runDir = dir.resolve("lab-run");
        var e = assertThrows(IllegalArgumentException.class, () -> plan.run(runDir));
        assertEquals("defense 'label-zero' inspects the BadNet's training set, and a lab subject (--model) has none: "
                + "run it on the Fashion-MNIST BadNet (no --model)", e.getMessage());
        assertTrue(Files.notExists(runDir));
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }
}
