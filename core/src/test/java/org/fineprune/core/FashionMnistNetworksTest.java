package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.fineprune.core.graph.GraphModel;
import org.fineprune.core.graph.KerasConfigWriter;
import org.fineprune.core.graph.KerasReader;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.LayerGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The built-in Fashion-MNIST networks: fresh weights, one step of training, a Keras file and back. */
class FashionMnistNetworksTest {
    private static final ModelOptions OPTIONS = new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu");
    private static final int N = 32;

    static Stream<Architecture> networks() {
        return Stream.of(SmallCnn.INSTANCE, WideCnn.INSTANCE, PreActResNet.INSTANCE);
    }

    @Test
    void the_wide_cnn_has_128_channels_in_its_last_convolution_and_the_resnet_batch_normalisation() {
        assertEquals("conv_3", WideCnn.INSTANCE.pruningLayer());
        assertEquals(128, WideCnn.INSTANCE.conv("conv_3").outputs());
        assertEquals("conv_4", PreActResNet.INSTANCE.pruningLayer());
        assertEquals("gap", PreActResNet.INSTANCE.rankingLayer("conv_4"));
        assertTrue(PreActResNet.INSTANCE.graph().layers().stream().anyMatch(l -> l instanceof Layer.BatchNorm));
        assertTrue(PreActResNet.INSTANCE.graph().layers().stream().anyMatch(l -> l instanceof Layer.Add));
    }

    @Test
    void the_generic_initial_weights_of_the_small_cnn_are_its_own() {
        GraphModel generic = InitialWeights.of(SmallCnn.INSTANCE.graph(), 5);
        for (LayerWeights w : SmallCnn.initialWeights(5)) {
            assertArrayEquals(KerasLayout.toDjl(w), generic.weights().get(w.spec().name() + "/weight"), w.spec().name());
            assertArrayEquals(w.bias(), generic.weights().get(w.spec().name() + "/bias"), w.spec().name());
        }
        assertFalse(Arrays.equals(generic.weights().get("conv_1/weight"),
                InitialWeights.of(SmallCnn.INSTANCE.graph(), 6).weights().get("conv_1/weight")));
    }

    @ParameterizedTest
    @MethodSource("networks")
    void builds_trains_one_step_and_reads_back_from_its_keras_file_with_the_same_answers(Architecture network,
            @TempDir Path dir) throws IOException {
        GraphModel initial = InitialWeights.of(network.graph(), 3);
        GraphModel trained = Training.train(initial, SmallCnnTest.randomImages(N, 1), labels(N, 2),
                SmallCnn.INPUT_SCALE, new TrainingConfig(1, N, 1e-3, 3, "PyTorch"), Map.of(), StepListener.NONE);
        assertFalse(Arrays.equals(initial.weights().get("output/weight"), trained.weights().get("output/weight")),
                "one step of training changes the output layer");
        initial.weights().keySet().stream().filter(name -> name.endsWith("/runningMean")).forEach(name ->
                assertFalse(Arrays.equals(initial.weights().get(name), trained.weights().get(name)),
                        name + ": batch normalisation trains on batch statistics and updates its running ones"));

        Path file = dir.resolve(network.name() + ".h5");
        KerasModelWriter.write(trained, file);
        GraphModel read = KerasReader.read(file);
        assertEquals(trained.graph().layers(), read.graph().layers());
        assertEquals(trained.weights().keySet(), read.weights().keySet());
        trained.weights().forEach((name, values) -> assertArrayEquals(values, read.weights().get(name), name));

        ImageBatch batch = new ImageBatch(SmallCnnTest.randomImages(8, 9), null, 8);
        try (BadNet loaded = BadNet.load(file, OPTIONS); BadNet again = BadNet.load(file, OPTIONS)) {
            assertEquals(network.pruningLayer(), loaded.architecture().pruningLayer());
            assertArrayEquals(again.logits(batch), loaded.logits(batch));
        }
        assertThrows(IOException.class, () -> KerasModelWriter.write(trained, file), "never overwrites");
    }

    @Test
    void the_small_cnn_from_its_keras_model_file_answers_as_from_its_weights(@TempDir Path dir) throws IOException {
        List<LayerWeights> weights = SmallCnn.initialWeights(4);
        Map<String, float[]> engine = new LinkedHashMap<>();
        weights.forEach(w -> {
            engine.put(w.spec().name() + "/weight", KerasLayout.toDjl(w));
            engine.put(w.spec().name() + "/bias", w.bias());
        });
        Path file = dir.resolve("small-cnn.h5");
        KerasModelWriter.write(new GraphModel(SmallCnn.INSTANCE.graph(), engine), file);
        ImageBatch batch = new ImageBatch(SmallCnnTest.randomImages(8, 11), null, 8);
        try (BadNet fromFile = BadNet.load(file, OPTIONS);
                BadNet fromWeights = BadNet.fromWeights(SmallCnn.INSTANCE, weights, OPTIONS)) {
            assertArrayEquals(fromWeights.logits(batch), fromFile.logits(batch), 1e-5f);
        }
    }

    @Test
    void a_layer_keras_cannot_hold_is_refused_naming_it() {
        LayerGraph chw = new LayerGraph("chw", ImageShape.FASHION_MNIST, List.of(new Layer.Input("input"),
                new Layer.Flatten("flat", "input", Layer.FlattenOrder.CHW),
                new Layer.Dense("out", "flat", 10, true, Layer.Function.LINEAR)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasConfigWriter.json(chw));
        assertTrue(e.getMessage().contains("'flat'"), e.getMessage());
    }

    private static int[] labels(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(10);
        }
        return labels;
    }
}
