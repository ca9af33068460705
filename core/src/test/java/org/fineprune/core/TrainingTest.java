package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.Test;

/** Training and fine-tuning with pruned channels, on generated images and labels. */
class TrainingTest {
    private static final int N = 256;
    private static final Map<String, int[]> PRUNED = Map.of("conv_1", new int[] {0, 3}, "conv_2", new int[] {1, 5, 30});
    private static final TrainingConfig CONFIG = new TrainingConfig(2, 32, 1e-2, 7, "PyTorch");

    @Test
    void pruned_channels_are_exactly_zero_after_fine_tuning_while_the_rest_learns() {
        float[] images = SmallCnnTest.randomImages(N, 1);
        int[] labels = labels(N, 10, 2);
        List<LayerWeights> start = SmallCnnWeights.random(3);

        TrainingRun tuned = train(start, images, labels, PRUNED);
        TrainingRun free = train(start, images, labels, Map.of());

        for (int layer = 0; layer < 2; layer++) {
            LayerWeights w = tuned.weights().get(layer);
            int[] pruned = PRUNED.get(w.spec().name());
            int out = w.spec().outputs();
            for (int c = 0; c < out; c++) {
                int channel = c;
                boolean isPruned = java.util.Arrays.stream(pruned).anyMatch(p -> p == channel);
                float[] slice = slice(w.kernel(), out, c);
                float[] freeSlice = slice(free.weights().get(layer).kernel(), out, c);
                if (isPruned) {
                    assertArrayEquals(new float[slice.length], slice, w.spec().name() + " channel " + c);
                    assertEquals(0f, w.bias()[c]);
                    assertFalse(java.util.Arrays.equals(new float[slice.length], freeSlice),
                            "without the mask the channel would have trained");
                } else {
                    assertFalse(java.util.Arrays.equals(new float[slice.length], slice));
                }
            }
        }
        assertFalse(java.util.Arrays.equals(start.get(3).kernel(), tuned.weights().get(3).kernel()), "output trained");
    }

    @Test
    void the_same_seed_gives_the_same_weights_and_another_seed_others() {
        float[] images = SmallCnnTest.randomImages(N, 1);
        int[] labels = labels(N, 10, 2);
        List<LayerWeights> start = SmallCnnWeights.random(3);
        TrainingRun a = train(start, images, labels, PRUNED);
        TrainingRun b = train(start, images, labels, PRUNED);
        TrainingRun c = Training.train(SmallCnn.INSTANCE, start, images, labels, 255, CONFIG.withSeed(8), PRUNED,
                StepListener.NONE);
        for (int i = 0; i < a.weights().size(); i++) {
            assertArrayEquals(a.weights().get(i).kernel(), b.weights().get(i).kernel());
        }
        assertArrayEquals(a.epochLosses(), b.epochLosses());
        assertNotEquals(a.weights().get(3).kernel()[0], c.weights().get(3).kernel()[0]);
    }

    @Test
    void another_thread_than_the_one_that_started_pytorch_fine_tunes_to_the_same_weights() throws Exception {
        float[] images = SmallCnnTest.randomImages(64, 1);
        int[] labels = labels(64, 10, 2);
        List<LayerWeights> start = SmallCnnWeights.random(3);
        TrainingRun here = train(start, images, labels, PRUNED);
        AtomicReference<Object> there = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                there.set(train(start, images, labels, PRUNED));
            } catch (RuntimeException e) {
                there.set(e);
            }
        });
        other.start();
        other.join();
        TrainingRun run = assertInstanceOf(TrainingRun.class, there.get());
        for (int i = 0; i < here.weights().size(); i++) {
            assertArrayEquals(here.weights().get(i).kernel(), run.weights().get(i).kernel());
        }
    }

    @Test
    void sgd_and_deepid_train_too_keeping_pruned_channels_zero() {
        ImageBatch faces = BadNetTest.randomImages(16, 2);
        int[] labels = labels(16, DeepId.CLASSES, 4);
        Map<String, int[]> pruned = Map.of("conv_3", new int[] {7}, "conv_4", new int[] {0, 79});
        int[] steps = {0};
        TrainingRun run = Training.train(DeepId.INSTANCE, KerasFixtures.randomDeepId(2), faces.pixels(), labels, 255,
                new TrainingConfig(1, 8, 1e-3, 1, "PyTorch", "sgd"), pruned, (done, total) -> steps[0] = done);
        assertEquals(1, steps[0]);
        LayerWeights conv4 = run.weights().get(3);
        assertEquals(0f, conv4.bias()[79]);
        assertArrayEquals(new float[2 * 2 * 60], slice(conv4.kernel(), 80, 0));
        assertTrue(Double.isFinite(run.epochLosses()[0]));
    }

    @Test
    void refuses_bad_labels_layers_and_channels() {
        float[] images = SmallCnnTest.randomImages(4, 1);
        List<LayerWeights> start = SmallCnn.initialWeights(1);
        assertThrows(IllegalArgumentException.class, () -> train(start, images, new int[] {0, 1, 10, 2}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> train(start, images, new int[3], Map.of()));
        assertThrows(IllegalArgumentException.class, () -> train(start, images, new int[4], Map.of("fc_1", new int[] {1})));
        assertThrows(IllegalArgumentException.class, () -> train(start, images, new int[4], Map.of("conv_2", new int[] {32})));
    }

    private static TrainingRun train(List<LayerWeights> start, float[] images, int[] labels, Map<String, int[]> pruned) {
        return Training.train(SmallCnn.INSTANCE, start, images, labels, 255, CONFIG, pruned, StepListener.NONE);
    }

    /** The kernel values (Keras layout, output channel last) of output channel {@code c}. */
    static float[] slice(float[] kernel, int outputs, int c) {
        float[] slice = new float[kernel.length / outputs];
        for (int i = 0; i < slice.length; i++) {
            slice[i] = kernel[i * outputs + c];
        }
        return slice;
    }

    private static int[] labels(int n, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }
}
