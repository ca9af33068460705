package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import org.fineprune.core.KerasWeightsWriter.Layout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loaded model on generated weights: batching, scaling and layer outputs. */
class BadNetTest {
    @TempDir
    static Path tmp;

    private static Path weights;

    @BeforeAll
    static void writeWeights() {
        weights = KerasFixtures.write(tmp.resolve("random.h5"), KerasFixtures.randomDeepId(11), Layout.WEIGHTS_ONLY);
    }

    @Test
    void a_large_batch_classifies_as_its_images_one_by_one() {
        ImageBatch batch = randomImages(BadNet.CHUNK * 2 + 22, 5);
        try (BadNet net = BadNet.load(weights, ModelOptions.defaults().withDevice("cpu"))) {
            int[] together = net.classify(batch);
            for (int i = 0; i < batch.size(); i++) {
                float[] one = Arrays.copyOfRange(batch.pixels(), i * DeepId.IMAGE_VALUES, (i + 1) * DeepId.IMAGE_VALUES);
                assertEquals(net.classify(new ImageBatch(one, null, 1))[0], together[i], "image " + i);
            }
            float[] logits = net.logits(batch);
            for (int i = 0; i < batch.size(); i++) {
                assertEquals(argMax(logits, i * DeepId.CLASSES, DeepId.CLASSES), together[i], "arg max of image " + i);
            }
        }
    }

    @Test
    void input_scale_divides_the_pixels() {
        ImageBatch batch = randomImages(3, 6);
        float[] scaled = batch.pixels().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] /= 255f;
        }
        try (BadNet raw = BadNet.load(weights, ModelOptions.defaults().withDevice("cpu"));
                BadNet divided = BadNet.load(weights, ModelOptions.defaults().withDevice("cpu").withInputScale(255))) {
            float[] expected = raw.logits(new ImageBatch(scaled, null, 3));
            float[] actual = divided.logits(batch);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4, "logit " + i);
            }
        }
    }

    @Test
    void warns_when_the_pixels_look_divided_by_255_already() {
        ImageBatch batch = randomImages(3, 7);
        float[] divided = batch.pixels().clone();
        for (int i = 0; i < divided.length; i++) {
            divided[i] /= 255f;
        }
        try (BadNet net = BadNet.load(weights, ModelOptions.defaults().withDevice("cpu"))) {
            net.classify(batch);
            assertTrue(net.inputWarning().isEmpty(), "raw pixels fit input scale 1");
            net.classify(new ImageBatch(divided, null, 3));
            assertTrue(net.inputWarning().orElseThrow().contains("within [0, 1]"), net.inputWarning().toString());
        }
    }

    @Test
    void layer_outputs_have_the_keras_shapes_in_nchw_order() {
        ImageBatch batch = randomImages(2, 7);
        try (BadNet net = BadNet.load(weights, ModelOptions.defaults().withDevice("cpu"))) {
            var out = net.outputs(batch, Set.of("conv_1", "pool_1", "pool_3", "conv_4", "fc_2", "output"));
            assertEquals(2 * 20 * 52 * 44, out.get("conv_1").length);
            assertEquals(2 * 20 * 26 * 22, out.get("pool_1").length);
            assertEquals(2 * 60 * 5 * 4, out.get("pool_3").length);
            assertEquals(2 * 80 * 4 * 3, out.get("conv_4").length);
            assertEquals(2 * 160, out.get("fc_2").length);
            assertArrayEquals(net.logits(batch), out.get("output"));
            float[] conv1 = out.get("conv_1");
            float[] pool1 = out.get("pool_1");
            // pool_1[n=1][c=3][y=4][x=5] is the maximum of conv_1 over rows 8..9 and columns 10..11.
            int base = ((1 * 20 + 3) * 52 + 8) * 44 + 10;
            float max = Math.max(Math.max(conv1[base], conv1[base + 1]), Math.max(conv1[base + 44], conv1[base + 45]));
            assertEquals(max, pool1[((1 * 20 + 3) * 26 + 4) * 22 + 5]);
        }
    }

    @Test
    void unknown_layer_names_are_listed() {
        try (BadNet net = BadNet.load(weights, ModelOptions.defaults().withDevice("cpu"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.outputs(randomImages(1, 1), Set.of("pool_9")));
            assertTrue(e.getMessage().contains("[pool_9]"), e.getMessage());
        }
    }

    @Test
    void options_reject_bad_values() {
        assertThrows(IllegalArgumentException.class, () -> new ModelOptions(0, null, null));
        assertThrows(IllegalArgumentException.class, () -> new ModelOptions(Double.NaN, null, null));
        assertThrows(IllegalArgumentException.class, () -> new ModelOptions(1, null, "tpu"));
    }

    static ImageBatch randomImages(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * DeepId.IMAGE_VALUES];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256);
        }
        return new ImageBatch(pixels, null, count);
    }

    private static int argMax(float[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
