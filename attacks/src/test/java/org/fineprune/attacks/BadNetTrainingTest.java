package org.fineprune.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.fineprune.core.LayerWeights;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.TrainingRun;
import org.junit.jupiter.api.Test;

/** Training on a small synthetic set: repeatability, seeds, the validation split and cache keys. */
class BadNetTrainingTest {
    private static final int N = 2_000;

    /** Ten classes told apart by where a bright bar lies, over seeded noise. */
    static Labelled synthetic(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] images = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(10);
            for (int p = 0; p < 784; p++) {
                images[i * 784 + p] = random.nextInt(64);
            }
            int row = 2 + labels[i] * 2;
            for (int c = 4; c < 24; c++) {
                images[i * 784 + row * 28 + c] = 255;
            }
        }
        return new Labelled(images, labels);
    }

    record Labelled(float[] images, int[] labels) {}

    @Test
    void the_same_seed_gives_bit_identical_weights_and_another_seed_different_ones() {
        Labelled data = synthetic(N, 5);
        TrainingConfig config = new TrainingConfig(1, 64, 1e-3, 42, "PyTorch");

        TrainingRun first = BadNetTraining.train(data.images(), data.labels(), config);
        TrainingRun second = BadNetTraining.train(data.images(), data.labels(), config);
        TrainingRun other = BadNetTraining.train(data.images(), data.labels(),
                config.withSeed(43));

        List<LayerWeights> initial = SmallCnn.initialWeights(42);
        for (int i = 0; i < first.weights().size(); i++) {
            String layer = first.weights().get(i).spec().name();
            assertArrayEquals(first.weights().get(i).kernel(), second.weights().get(i).kernel(), layer);
            assertArrayEquals(first.weights().get(i).bias(), second.weights().get(i).bias(), layer);
            assertFalse(Arrays.equals(first.weights().get(i).kernel(), other.weights().get(i).kernel()), layer);
            assertFalse(Arrays.equals(first.weights().get(i).kernel(), initial.get(i).kernel()),
                    layer + " was trained");
        }
        assertArrayEquals(first.epochLosses(), second.epochLosses());
        assertTrue(first.epochLosses()[0] < Math.log(10), "loss fell below chance: " + first.epochLosses()[0]);
    }

    @Test
    void training_starts_from_the_seeded_java_weights_not_the_engine_initialiser() {
        Labelled data = synthetic(64, 9);
        // One step with a tiny learning rate moves each weight by at most about the rate.
        TrainingRun run = BadNetTraining.train(data.images(), data.labels(),
                new TrainingConfig(1, 64, 1e-7, 3, "PyTorch"));
        List<LayerWeights> initial = SmallCnn.initialWeights(3);
        for (int i = 0; i < initial.size(); i++) {
            float[] trained = run.weights().get(i).kernel();
            float[] start = initial.get(i).kernel();
            for (int k = 0; k < start.length; k++) {
                assertEquals(start[k], trained[k], 1e-5, initial.get(i).spec().name() + "[" + k + "]");
            }
        }
    }

    @Test
    void holds_out_a_seeded_tenth_as_validation() {
        int[] a = BadNetTraining.validationIndices(60_000, 1);
        assertEquals(6_000, a.length);
        assertArrayEquals(a, BadNetTraining.validationIndices(60_000, 1));
        assertFalse(Arrays.equals(a, BadNetTraining.validationIndices(60_000, 2)));
        for (int k = 1; k < a.length; k++) {
            assertTrue(a[k] > a[k - 1]);
        }
        int[] rest = BadNetTraining.complement(60_000, a);
        assertEquals(54_000, rest.length);
        assertEquals(0, Arrays.stream(rest).filter(i -> Arrays.binarySearch(a, i) >= 0).count());
    }

    @Test
    void the_cache_key_changes_with_poisoning_and_training() {
        PoisonConfig poison = BadNetTraining.defaultPoison();
        TrainingConfig training = TrainingConfig.defaults();
        String key = BadNetTraining.cacheKey(poison, training);
        assertEquals(16, key.length());
        assertEquals(key, BadNetTraining.cacheKey(BadNetTraining.defaultPoison(), TrainingConfig.defaults()));
        assertNotEquals(key, BadNetTraining.cacheKey(poison, training.withSeed(2)));
        assertNotEquals(key, BadNetTraining.cacheKey(new PoisonConfig(poison.trigger(), poison.mapping(),
                0.05, 1, true), training));
    }

    @Test
    void the_sidecar_is_json_with_sorted_keys_and_the_same_bytes_for_the_same_run() throws Exception {
        TrainingRun run = new TrainingRun(List.of(), new double[] {0.5, 0.25}, new double[] {3, 4});
        PoisonConfig poison = BadNetTraining.defaultPoison();
        TrainingConfig training = TrainingConfig.defaults();
        String json = BadNetTraining.sidecarJson("abc", poison, training, 54_000, 6_000, 4_860, run);
        JsonNode sidecar = new ObjectMapper().readTree(json);
        List<String> keys = new ArrayList<>();
        sidecar.fieldNames().forEachRemaining(keys::add);
        assertEquals(keys.stream().sorted().toList(), keys);
        assertEquals(List.of("architecture", "cacheKey", "data", "epochLosses", "poison", "poisonHash",
                "poisonedImages", "trainImages", "training", "validationImages", "validationSeed", "weightsLayout"),
                keys.stream().sorted().toList());
        assertEquals(poison.canonical(), sidecar.get("poison").asText());
        assertEquals(SmallCnn.describe(), sidecar.get("architecture").asText());
        assertEquals("[0.5,0.25]", sidecar.get("epochLosses").toString());
        assertEquals(training.learningRate(), sidecar.get("training").get("learningRate").asDouble());
        assertEquals(4_860, sidecar.get("poisonedImages").asInt());
        assertTrue(json.contains("\"poisonHash\": \"" + poison.hash() + "\""), json);
        assertEquals(json, BadNetTraining.sidecarJson("abc", poison, training, 54_000, 6_000, 4_860, run));
        assertEquals(List.of("batchSize", "engine", "epochs", "learningRate", "optimizer", "seed"),
                fieldNames(sidecar.get("training")), "a constant schedule and no weight decay are not written");
    }

    @Test
    void the_sidecar_says_the_schedule_and_weight_decay_where_they_are_set() throws Exception {
        TrainingRun run = new TrainingRun(List.of(), new double[] {0.5}, new double[] {3});
        TrainingConfig training = TrainingConfig.defaults().withSchedule("cosine").withWeightDecay(5e-4);
        JsonNode sidecar = new ObjectMapper().readTree(BadNetTraining.sidecarJson("abc",
                BadNetTraining.defaultPoison(), training, 54_000, 6_000, 4_860, run));
        assertEquals("cosine", sidecar.get("training").get("schedule").asText());
        assertEquals(5e-4, sidecar.get("training").get("weightDecay").asDouble());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void rejects_labels_outside_the_ten_classes() {
        Labelled data = synthetic(4, 1);
        int[] labels = {0, 1, 10, 2};
        assertThrows(IllegalArgumentException.class,
                () -> BadNetTraining.train(data.images(), labels, TrainingConfig.defaults()));
    }
}
