package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallCnnTest {
    @TempDir
    Path temp;

    @Test
    void layers_are_in_keras_layout_with_fc_1_flattened_from_4x4x32() {
        List<LayerSpec> layers = SmallCnn.INSTANCE.weightedLayers();
        assertEquals(List.of("conv_1", "conv_2", "fc_1", "output"),
                layers.stream().map(LayerSpec::name).toList());
        assertArrayEquals(new int[] {5, 5, 1, 16}, layers.get(0).kernelShape());
        assertArrayEquals(new int[] {5, 5, 16, 32}, layers.get(1).kernelShape());
        assertArrayEquals(new int[] {512, 128}, layers.get(2).kernelShape());
        assertArrayEquals(new int[] {4, 4, 32}, layers.get(2).flattenedFrom());
        assertArrayEquals(new int[] {128, 10}, layers.get(3).kernelShape());
    }

    @Test
    void maps_a_batch_of_28x28_images_to_ten_logits_each() {
        try (NDManager manager = Engines.get("PyTorch").newBaseManager(Device.cpu())) {
            GraphBlock cnn = SmallCnn.INSTANCE.newBlock();
            cnn.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertEquals(new Shape(3, 10), cnn.getOutputShapes(new Shape[] {new Shape(3, 1, 28, 28)})[0]);
            java.util.Map<String, float[]> weights = cnn.parameters();
            assertEquals(List.of("conv_1/weight", "conv_1/bias", "conv_2/weight", "conv_2/bias", "fc_1/weight",
                    "fc_1/bias", "output/weight", "output/bias"), List.copyOf(weights.keySet()));
            assertEquals(5 * 5 * 16 * 32, weights.get("conv_2/weight").length);
        }
        assertEquals(30, logits(SmallCnn.initialWeights(1), randomImages(3, 5)).length);
    }

    @Test
    void initial_weights_depend_only_on_the_seed_and_stay_within_the_he_limit() {
        List<LayerWeights> a = SmallCnn.initialWeights(7);
        List<LayerWeights> b = SmallCnn.initialWeights(7);
        List<LayerWeights> c = SmallCnn.initialWeights(8);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).kernel(), b.get(i).kernel());
            assertNotEquals(a.get(i).kernel()[0], c.get(i).kernel()[0]);
        }
        double limit = Math.sqrt(6.0 / 25);
        for (float v : a.get(0).kernel()) {
            assertEquals(0, v, limit);
        }
    }

    @Test
    void saved_weights_read_back_give_identical_logits() throws IOException {
        List<LayerWeights> weights = SmallCnnWeights.random(11);
        Path file = temp.resolve("w.h5");
        KerasWeightsWriter.write(file, weights, KerasWeightsWriter.Layout.WEIGHTS_ONLY);
        List<LayerWeights> read = List.copyOf(KerasWeights.read(file, SmallCnn.INSTANCE.weightedLayers()).layers().values());
        float[] images = randomImages(8, 3);

        float[] before = logits(weights, images);
        float[] after;
        try (BadNet net = BadNet.load(file, SmallCnn.INSTANCE, OPTIONS)) {
            after = net.logits(new ImageBatch(images, null, 8));
        }

        assertArrayEquals(before, after);
        for (int i = 0; i < weights.size(); i++) {
            assertArrayEquals(weights.get(i).kernel(), read.get(i).kernel());
        }
    }

    @Test
    void weights_set_into_a_block_come_back_unchanged() {
        List<LayerWeights> weights = SmallCnnWeights.random(3);
        try (NDManager manager = Engines.get("PyTorch").newBaseManager(Device.cpu())) {
            GraphBlock cnn = SmallCnn.INSTANCE.newBlock();
            cnn.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            java.util.Map<String, float[]> values = new java.util.LinkedHashMap<>();
            for (LayerWeights w : weights) {
                values.put(w.spec().name() + "/weight", KerasLayout.toDjl(w));
                values.put(w.spec().name() + "/bias", w.bias());
            }
            cnn.setParameters(values);
            java.util.Map<String, float[]> back = cnn.parameters();
            values.forEach((name, v) -> assertArrayEquals(v, back.get(name), name));
            values.remove("fc_1/bias");
            assertThrows(IllegalArgumentException.class, () -> cnn.setParameters(values));
        }
    }

    @Test
    void refuses_images_of_another_shape_naming_both() {
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(1), OPTIONS)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.classify(BadNetTest.randomImages(1, 1)));
            assertTrue(e.getMessage().contains("1x28x28") && e.getMessage().contains("7755"), e.getMessage());
        }
    }

    static final ModelOptions OPTIONS = new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu");

    static float[] logits(List<LayerWeights> weights, float[] images) {
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, weights, OPTIONS)) {
            return net.logits(new ImageBatch(images, null, images.length / 784));
        }
    }

    static float[] randomImages(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] images = new float[count * 28 * 28];
        for (int i = 0; i < images.length; i++) {
            images[i] = random.nextInt(256);
        }
        return images;
    }
}
