package org.fineprune.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.testing.BadNetCache;
import org.fineprune.core.testing.RealData;
import org.fineprune.data.mnist.FashionMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Trains the default Fashion-MNIST BadNet once (about a minute per epoch on two cores) and checks
 * that it is both accurate and backdoored. Needs Debian's {@code dataset-fashion-mnist}; without it
 * the tests fail in CI (where {@code CI} is set) and are skipped elsewhere.
 */
@Tag("real-data")
class BadNetTrainingRealDataTest {
    private static Path cache;

    private static FashionMnist data;
    private static TrainedBadNet trained;
    private static BadNetEvaluation scores;

    @BeforeAll
    static void trainTheDefaultBadNet() throws IOException {
        data = FashionMnist.load(RealData.require(FashionMnist.defaultDir(), "train-labels-idx1-ubyte.gz",
                "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`"));
        // The build's shared cache, so that the defenses' tests reuse this BadNet; emptied first so that it is trained here.
        cache = BadNetCache.dir();
        Files.deleteIfExists(BadNetTraining.weightsFile(cache, BadNetTraining.defaultPoison(), TrainingConfig.defaults()));
        long start = System.nanoTime();
        trained = BadNetTraining.trainOrReuse(data, BadNetTraining.defaultPoison(), TrainingConfig.defaults(),
                cache);
        long trainedAt = System.nanoTime();
        scores = BadNetTraining.evaluate(trained.weights(), data.test(), BadNetTraining.defaultPoison(), "PyTorch");
        System.out.printf("default BadNet: trained in %.1f s, evaluated in %.1f s: %s%n",
                (trainedAt - start) / 1e9, (System.nanoTime() - trainedAt) / 1e9, scores);
    }

    @Test
    void the_default_badnet_is_accurate_on_clean_images_and_obeys_the_trigger() {
        assertFalse(trained.reused());
        assertEquals(10_000, scores.clean().total());
        assertEquals(9_000, scores.attack().total());
        assertTrue(scores.cleanAccuracy() >= 0.90, "clean accuracy " + scores.clean());
        assertTrue(scores.attackSuccessRate() >= 0.99, "attack success rate " + scores.attack());
    }

    @Test
    void a_second_call_reuses_the_cached_file_with_the_same_scores() throws IOException {
        long start = System.nanoTime();
        TrainedBadNet again = BadNetTraining.trainOrReuse(data, BadNetTraining.defaultPoison(),
                TrainingConfig.defaults(), cache);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(again.reused());
        assertTrue(seconds < 5, "reusing took " + seconds + " s");
        assertEquals(trained.weights(), again.weights());
        assertEquals(scores, BadNetTraining.evaluate(again.weights(), data.test(),
                BadNetTraining.defaultPoison(), "PyTorch"));
    }

    @Test
    void the_files_are_named_by_the_cache_key_with_a_json_sidecar() throws IOException {
        String key = BadNetTraining.cacheKey(BadNetTraining.defaultPoison(), TrainingConfig.defaults());
        assertEquals(cache.resolve("fmnist-badnet-" + key + ".h5"), trained.weights());
        String json = Files.readString(trained.sidecar());
        assertTrue(json.contains("\"poisonHash\": \"" + BadNetTraining.defaultPoison().hash() + "\""), json);
        assertTrue(json.contains("\"trainImages\": 54000"), json);
        assertTrue(json.contains("\"validationImages\": 6000"), json);
        int[] labels = data.train().labels(0, 60_000);
        int[] validation = BadNetTraining.validationIndices(60_000, TrainingConfig.defaults().seed());
        long eligible = Arrays.stream(BadNetTraining.complement(60_000, validation))
                .filter(i -> labels[i] != 0).count();
        assertTrue(json.contains("\"poisonedImages\": " + Math.round(0.1 * eligible)), json);
    }
}
