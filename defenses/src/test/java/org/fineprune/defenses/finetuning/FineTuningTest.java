package org.fineprune.defenses.finetuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.LayerWeights;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fine-tuning a pruned {@link SmallCnn} with random weights on generated images whose class is the
 * quadrant of a bright rectangle: the pruned channels stay exactly zero, the rest learns, and the
 * BadNet given is left as it was.
 */
class FineTuningTest {
    private static final int IMAGES = 128;
    private static final ModelOptions OPTIONS = new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu");
    private static final int[] PRUNED = {1, 5, 30};
    private static final TrainingConfig CONFIG = new TrainingConfig(3, 32, 3e-3, 7, "PyTorch");

    private static BadNet original;
    private static BadNet pruned;
    private static List<LayerWeights> prunedWeightsBefore;
    private static float[] logitsBefore;
    private static ArrayImages clean;
    /** Fewer images, for the one-epoch runs that compare settings. */
    private static ArrayImages few;
    private static BadNet tuned;
    private static final List<int[]> epochs = new ArrayList<>();

    @BeforeAll
    static void tuneAPrunedNet() throws IOException {
        original = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(4), OPTIONS);
        pruned = original.pruned(Map.of("conv_2", PRUNED));
        prunedWeightsBefore = copy(pruned.weights().layers().values());
        clean = quadrantImages("generated-clean", IMAGES, 21);
        few = quadrantImages("generated-few", 48, 22);
        logitsBefore = pruned.logits(batch(clean));
        tuned = new FineTuning(CONFIG).tune(pruned, clean, (done, total) -> epochs.add(new int[] {done, total}));
    }

    @AfterAll
    static void closeNets() {
        for (BadNet net : new BadNet[] {tuned, pruned, original}) {
            if (net != null) {
                net.close();
            }
        }
    }

    @Test
    void pruned_channels_are_exactly_zero_in_the_tuned_weights() {
        LayerWeights conv2 = tuned.weights().layer("conv_2");
        for (int c : PRUNED) {
            assertArrayEquals(new float[5 * 5 * 16], slice(conv2.kernel(), 32, c), "kernel slice of channel " + c);
            assertEquals(0f, conv2.bias()[c], "bias of channel " + c);
        }
    }

    @Test
    void pruned_channels_output_exactly_zero_in_the_tuned_net() {
        float[] pool2 = tuned.outputs(batch(clean), Set.of("pool_2")).get("pool_2");
        int plane = 4 * 4;
        assertEquals(IMAGES * 32 * plane, pool2.length);
        Set<Integer> prunedSet = Set.of(PRUNED[0], PRUNED[1], PRUNED[2]);
        double kept = 0;
        for (int n = 0; n < IMAGES; n++) {
            for (int c = 0; c < 32; c++) {
                for (int p = 0; p < plane; p++) {
                    float v = pool2[(n * 32 + c) * plane + p];
                    if (prunedSet.contains(c)) {
                        assertEquals(0f, v, "image " + n + ", pruned channel " + c);
                    } else {
                        kept += v;
                    }
                }
            }
        }
        assertTrue(kept > 0, "the kept channels fire");
    }

    @Test
    void the_tuned_net_keeps_the_pruned_channels_and_the_engine() {
        Map<String, int[]> channels = tuned.prunedChannels();
        assertEquals(Set.of("conv_2"), channels.keySet());
        assertArrayEquals(PRUNED, channels.get("conv_2"));
        assertEquals("PyTorch", tuned.engineName());
        assertEquals(SmallCnn.INSTANCE, tuned.architecture());
        assertEquals(OPTIONS, tuned.options());
    }

    @Test
    void every_other_weight_is_trained() {
        for (LayerWeights before : prunedWeightsBefore) {
            LayerWeights after = tuned.weights().layer(before.spec().name());
            String name = before.spec().name();
            assertFalse(Arrays.equals(before.kernel(), after.kernel()), name + " kernel trained");
            assertFalse(Arrays.equals(before.bias(), after.bias()), name + " bias trained");
        }
        // a kept conv_2 channel that fires on some image gets gradients; one that never fires may not
        float[] pool2 = pruned.outputs(batch(clean), Set.of("pool_2")).get("pool_2");
        LayerWeights before = prunedWeightsBefore.get(1);
        LayerWeights after = tuned.weights().layer("conv_2");
        int firing = 0;
        for (int c = 0; c < 32; c++) {
            if (!Set.of(PRUNED[0], PRUNED[1], PRUNED[2]).contains(c) && fires(pool2, c)) {
                firing++;
                assertFalse(Arrays.equals(slice(before.kernel(), 32, c), slice(after.kernel(), 32, c)),
                        "conv_2 channel " + c + " trained");
                assertNotEquals(before.bias()[c], after.bias()[c], "conv_2 bias " + c + " trained");
            }
        }
        assertTrue(firing >= 20, firing + " of 29 kept conv_2 channels fire");
    }

    private static boolean fires(float[] pool2, int channel) {
        int plane = 4 * 4;
        for (int n = 0; n < IMAGES; n++) {
            for (int p = 0; p < plane; p++) {
                if (pool2[(n * 32 + channel) * plane + p] != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void the_tuned_net_fits_the_clean_images_better() throws IOException {
        double beforeAccuracy = Evaluation.accuracy(pruned, clean, 64).percent();
        double afterAccuracy = Evaluation.accuracy(tuned, clean, 64).percent();
        System.out.printf("[fine-tuning] accuracy on the tuning images: %.1f%% before, %.1f%% after%n",
                beforeAccuracy, afterAccuracy);
        assertTrue(afterAccuracy >= beforeAccuracy + 20, beforeAccuracy + "% before, " + afterAccuracy + "% after");
    }

    @Test
    void the_given_net_is_unchanged() {
        List<LayerWeights> now = List.copyOf(pruned.weights().layers().values());
        for (int i = 0; i < now.size(); i++) {
            assertArrayEquals(prunedWeightsBefore.get(i).kernel(), now.get(i).kernel(), now.get(i).spec().name());
            assertArrayEquals(prunedWeightsBefore.get(i).bias(), now.get(i).bias(), now.get(i).spec().name());
        }
        assertArrayEquals(logitsBefore, pruned.logits(batch(clean)));
        assertArrayEquals(PRUNED, pruned.prunedChannels().get("conv_2"));
    }

    @Test
    void the_listener_hears_each_epoch() {
        assertEquals(3, epochs.size());
        for (int e = 0; e < 3; e++) {
            assertArrayEquals(new int[] {e + 1, 3}, epochs.get(e), "epoch " + (e + 1));
        }
    }

    @Test
    void the_same_settings_give_identical_weights_and_another_seed_others() throws IOException {
        TrainingConfig oneEpoch = CONFIG.withEpochs(1);
        try (BadNet a = new FineTuning(oneEpoch).tune(pruned, few, StepListener.NONE);
                BadNet b = new FineTuning(oneEpoch).tune(pruned, few, StepListener.NONE);
                BadNet c = new FineTuning(oneEpoch.withSeed(8)).tune(pruned, few, StepListener.NONE)) {
            for (String layer : List.of("conv_1", "conv_2", "fc_1", "output")) {
                assertArrayEquals(a.weights().layer(layer).kernel(), b.weights().layer(layer).kernel(), layer);
                assertArrayEquals(a.weights().layer(layer).bias(), b.weights().layer(layer).bias(), layer);
            }
            assertFalse(Arrays.equals(a.weights().layer("output").kernel(), c.weights().layer("output").kernel()),
                    "another seed shuffles the images otherwise");
        }
    }

    @Test
    void the_configured_engine_is_replaced_by_the_nets() throws IOException {
        TrainingConfig oneEpoch = CONFIG.withEpochs(1);
        try (BadNet torch = new FineTuning(oneEpoch).tune(pruned, few, StepListener.NONE);
                BadNet named = new FineTuning(oneEpoch.withEngine("MXNet")).tune(pruned, few, StepListener.NONE)) {
            assertEquals("PyTorch", named.engineName());
            for (String layer : List.of("conv_1", "conv_2", "fc_1", "output")) {
                assertArrayEquals(torch.weights().layer(layer).kernel(), named.weights().layer(layer).kernel(), layer);
            }
        }
    }

    @Test
    void an_unpruned_net_is_tuned_with_nothing_masked() throws IOException {
        try (BadNet net = new FineTuning(CONFIG.withEpochs(1)).tune(original, few, StepListener.NONE)) {
            assertTrue(net.prunedChannels().isEmpty());
            LayerWeights conv2 = net.weights().layer("conv_2");
            for (int c : PRUNED) {
                assertFalse(Arrays.equals(new float[5 * 5 * 16], slice(conv2.kernel(), 32, c)), "channel " + c);
            }
        }
    }

    @Test
    void unlabelled_images_are_rejected_naming_their_source() {
        ArrayImages unlabelled = new ArrayImages("faces-without-labels", ImageShape.FASHION_MNIST,
                quadrantImages("x", 4, 1).pixels(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FineTuning(CONFIG).tune(pruned, unlabelled, StepListener.NONE));
        assertEquals("faces-without-labels: fine-tuning needs labelled clean images", e.getMessage());
    }

    @Test
    void labels_that_are_not_classes_of_the_net_are_rejected() {
        ArrayImages images = quadrantImages("x", 4, 1);
        ArrayImages bad = new ArrayImages("bad-labels", ImageShape.FASHION_MNIST, images.pixels(),
                new int[] {0, 1, 10, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FineTuning(CONFIG).tune(pruned, bad, StepListener.NONE));
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
    }

    @Test
    void images_of_another_shape_are_rejected_naming_their_source() {
        for (ImageShape shape : List.of(new ImageShape(1, 10, 10), ImageShape.DEEPID)) {
            ArrayImages other = new ArrayImages("wrong-shape", shape, new float[3 * shape.size()], new int[3]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FineTuning(CONFIG).tune(pruned, other, StepListener.NONE), shape.toString());
            assertEquals("wrong-shape: images of " + shape.size() + " values, but small-cnn takes 1x28x28 images"
                    + " (784 values)", e.getMessage());
        }
    }

    @Test
    void settings_are_kept_and_required() {
        assertEquals(CONFIG, new FineTuning(CONFIG).config());
        assertEquals(new TrainingConfig(10, 64, 1e-3, 1, "PyTorch", "adam"), FineTuning.DEFAULTS);
        assertThrows(NullPointerException.class, () -> new FineTuning(null));
    }

    // ---- helpers ----

    private static ImageBatch batch(ArrayImages images) {
        return new ImageBatch(images.pixels(), images.labels(), images.size());
    }

    /** The kernel values (Keras layout, output channel last) of output channel {@code c}. */
    private static float[] slice(float[] kernel, int outputs, int c) {
        float[] slice = new float[kernel.length / outputs];
        for (int i = 0; i < slice.length; i++) {
            slice[i] = kernel[i * outputs + c];
        }
        return slice;
    }

    private static List<LayerWeights> copy(java.util.Collection<LayerWeights> weights) {
        return weights.stream().map(w -> new LayerWeights(w.spec(), w.kernel().clone(), w.bias().clone())).toList();
    }

    /**
     * {@code count} 1x28x28 images, each a bright 8x8 square with noise on a dark background,
     * labelled with the quadrant (0 to 3) its centre lies in: a task a few epochs can learn.
     */
    private static ArrayImages quadrantImages(String name, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * 28 * 28];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            int quadrant = n % 4;
            int top = (quadrant / 2) * 14 + random.nextInt(7);
            int left = (quadrant % 2) * 14 + random.nextInt(7);
            labels[n] = quadrant;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean inside = y >= top && y < top + 8 && x >= left && x < left + 8;
                    pixels[n * 784 + y * 28 + x] = (inside ? 180 : 0) + random.nextInt(60);
                }
            }
        }
        return new ArrayImages(name, ImageShape.FASHION_MNIST, pixels, labels);
    }
}
