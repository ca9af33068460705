package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.util.Map;
import java.util.stream.IntStream;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.Classifier;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.ScoringDetector;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.SuspicionScores;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.Test;

/**
 * A STRIP point scored on a generated bench (a {@link SmallCnn} with random weights): the scorer runs
 * the detector once per test image for its flags and its suspicion scores, and gives the metrics of
 * running it twice, once for each, as it did before.
 */
class StripScoringTest {
    private static final int BATCH = 16;

    @Test
    void strip_runs_once_per_test_image_and_scores_as_when_run_for_flags_and_scores_apart() throws IOException {
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(4),
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"))) {
            ArrayImages valid = images("generated-valid", 64, 1);
            ArrayImages clean = images("generated-clean", 40, 2);
            ArrayImages poisoned = new ArrayImages("generated-poisoned", ImageShape.FASHION_MNIST,
                    BlobImages.generate(24, 3), new int[24]);
            Bench bench = new Bench(net, Map.of(), new DefenderData(valid), clean, poisoned, null);
            Defense strip = Defenses.find("strip");
            try (DefenseResult result = strip.apply(net, bench.defender(), strip.settings(Map.of("overlays", 8)), 5)) {
                ScoringDetector detector = assertInstanceOf(ScoringDetector.class, result.detector());
                Counted once = new Counted(detector);
                Apart apart = new Apart(detector);
                Scorer scorer = new Scorer(bench, BATCH);

                PointRecord.Metrics oneCall = scorer.score(new DefenseResult(null, once, Map.of())).metrics();
                PointRecord.Metrics twoCalls = scorer.score(new DefenseResult(null, apart, Map.of())).metrics();

                assertEquals(twoCalls, oneCall);
                assertEquals(clean.size() + poisoned.size(), once.images, "each test image through STRIP once");
                assertEquals(2 * (clean.size() + poisoned.size()), apart.images, "formerly twice");
                double fromFlags = (oneCall.detector().poisonedFlagged() + 100 - oneCall.detector().cleanFlagged()) / 200;
                assertNotEquals(fromFlags, oneCall.detector().auroc(), "the AUROC of the scores, not of the flags");
            }
        }
    }

    /** The detector, counting the images it answers. */
    static final class Counted implements ScoringDetector {
        private final ScoringDetector detector;
        int images;

        Counted(ScoringDetector detector) {
            this.detector = detector;
        }

        @Override
        public Answers answer(ImageBatch batch) {
            images += batch.size();
            return detector.answer(batch);
        }
    }

    /** The detector asked for its classes and its scores apart, as the scorer did, counting the images each time. */
    static final class Apart implements Classifier, SuspicionScores {
        private final ScoringDetector detector;
        int images;

        Apart(ScoringDetector detector) {
            this.detector = detector;
        }

        @Override
        public int[] classify(ImageBatch batch) {
            images += batch.size();
            return detector.classify(batch);
        }

        @Override
        public double[] suspicion(ImageBatch batch) {
            images += batch.size();
            return detector.suspicion(batch);
        }
    }

    /** {@code count} generated images labelled by their index mod 10. */
    private static ArrayImages images(String name, int count, long seed) {
        return new ArrayImages(name, ImageShape.FASHION_MNIST, BlobImages.generate(count, seed),
                IntStream.range(0, count).map(i -> i % 10).toArray());
    }
}
