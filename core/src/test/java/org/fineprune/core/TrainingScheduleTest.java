package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.Test;

/** The learning-rate schedule and weight decay of {@link TrainingConfig}, as {@link Training} runs them. */
class TrainingScheduleTest {
    private static final int N = 64;
    private static final TrainingConfig SGD = new TrainingConfig(1, 16, 0.01, 5, "PyTorch", "sgd");

    @Test
    void the_defaults_are_a_constant_rate_without_decay_and_keep_the_cache_keys_of_before() {
        TrainingConfig defaults = TrainingConfig.defaults();
        assertEquals("constant", defaults.schedule());
        assertEquals(0, defaults.weightDecay());
        assertEquals("fineprune-training/1; epochs=12; batchSize=128; learningRate=0.001; seed=1; engine=PyTorch;"
                + " optimizer=adam", defaults.canonical());
        assertEquals(defaults.canonical() + "; schedule=cosine; weightDecay=5.0E-4",
                defaults.withSchedule("Cosine").withWeightDecay(5e-4).canonical());
    }

    @Test
    void a_bad_schedule_or_weight_decay_is_refused_naming_it() {
        IllegalArgumentException schedule = assertThrows(IllegalArgumentException.class,
                () -> SGD.withSchedule("step"));
        assertEquals("unknown schedule 'step'; supported: [constant, cosine]", schedule.getMessage());
        IllegalArgumentException decay = assertThrows(IllegalArgumentException.class, () -> SGD.withWeightDecay(-1));
        assertEquals("weight decay must be at least 0 and finite, got -1.0", decay.getMessage());
    }

    @Test
    void the_cosine_rate_of_each_step_is_that_of_its_epoch_on_the_cosine_curve() {
        int epochs = 4;
        int steps = 3;
        double rate = 0.01;
        Tracker cosine = Training.learningRate(SGD.withEpochs(epochs).withSchedule("cosine"), steps);
        Tracker constant = Training.learningRate(SGD.withEpochs(epochs), steps);
        for (int update = 1; update <= epochs * steps; update++) {
            int epoch = (update - 1) / steps;
            double expected = rate * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
            assertEquals(expected, cosine.getNewValue(update), 1e-9, "update " + update);
            assertEquals((float) rate, constant.getNewValue(update));
        }
        assertEquals((float) rate, cosine.getNewValue(1), "the first epoch runs at the full rate");
        assertEquals(rate / 2, cosine.getNewValue(2 * steps + 1), 1e-9, "half way down at epoch 2 of 4");
    }

    @Test
    void a_cosine_schedule_runs_its_first_epoch_at_the_full_rate_and_then_slows() {
        float[] images = SmallCnnTest.randomImages(N, 1);
        int[] labels = labels();
        List<LayerWeights> start = SmallCnnWeights.random(3);
        assertArrayEquals(kernel(train(start, images, labels, SGD), 3),
                kernel(train(start, images, labels, SGD.withSchedule("cosine")), 3));
        TrainingConfig two = SGD.withEpochs(2);
        assertFalse(java.util.Arrays.equals(kernel(train(start, images, labels, two), 3),
                kernel(train(start, images, labels, two.withSchedule("cosine")), 3)));
    }

    @Test
    void weight_decay_shrinks_the_kernel_of_a_dead_channel_which_has_no_data_gradient() {
        float[] images = SmallCnnTest.randomImages(N, 1);
        int[] labels = labels();
        List<LayerWeights> start = new ArrayList<>(SmallCnnWeights.random(3));
        LayerWeights conv1 = start.get(0);
        float[] bias = conv1.bias().clone();
        bias[0] = -1000; // ReLU(conv + bias) is 0 for every input: no gradient reaches channel 0
        start.set(0, new LayerWeights(conv1.spec(), conv1.kernel(), bias));
        int out = conv1.spec().outputs();

        float[] without = kernel(train(start, images, labels, SGD), 0);
        float[] with = kernel(train(start, images, labels, SGD.withWeightDecay(0.5)), 0);
        double ratio = with[0] / conv1.kernel()[0];
        assertTrue(ratio > 0 && ratio < 0.99, "shrunk by " + ratio);
        for (int i = 0; i < with.length; i += out) {
            assertEquals(conv1.kernel()[i], without[i], "no decay, no data gradient: unchanged");
            assertEquals(ratio, with[i] / conv1.kernel()[i], 1e-4, "every weight shrinks by the same factor");
        }
    }

    private static TrainingRun train(List<LayerWeights> start, float[] images, int[] labels, TrainingConfig config) {
        return Training.train(SmallCnn.INSTANCE, start, images, labels, 255, config, Map.of(), StepListener.NONE);
    }

    private static float[] kernel(TrainingRun run, int layer) {
        return run.weights().get(layer).kernel();
    }

    private static int[] labels() {
        SplittableRandom random = new SplittableRandom(2);
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = random.nextInt(SmallCnn.CLASSES);
        }
        return labels;
    }
}
