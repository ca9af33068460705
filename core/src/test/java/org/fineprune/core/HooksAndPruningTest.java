package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.fineprune.core.KerasWeightsWriter.Layout;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Layer hooks, pruned copies and the pruning cache on generated weights and images. */
class HooksAndPruningTest {
    @TempDir
    static Path tmp;

    private static Path weights;
    private static ImageBatch images;

    @BeforeAll
    static void setUp() {
        weights = KerasFixtures.write(tmp.resolve("w.h5"), KerasFixtures.randomDeepId(21), Layout.FULL_MODEL);
        images = BadNetTest.randomImages(150, 3);
    }

    private static BadNet load() {
        return BadNet.load(weights, ModelOptions.defaults().withDevice("cpu"));
    }

    @Test
    void channel_means_hook_sees_the_same_pass_as_the_layer_outputs() {
        try (BadNet net = load()) {
            ChannelMeans means = new ChannelMeans("pool_3");
            int[] classes = net.classify(images, List.of(means));
            assertArrayEquals(net.classify(images), classes, "hooks do not change the answers");
            float[] pool3 = net.outputs(images, Set.of("pool_3")).get("pool_3");
            double[] expected = new double[60];
            for (int n = 0; n < images.size(); n++) {
                for (int c = 0; c < 60; c++) {
                    for (int p = 0; p < 20; p++) {
                        expected[c] += pool3[(n * 60 + c) * 20 + p];
                    }
                }
            }
            for (int c = 0; c < 60; c++) {
                assertEquals(expected[c] / (images.size() * 20.0), means.means()[c], 1e-6 * (1 + Math.abs(expected[c])));
            }
        }
    }

    @Test
    void hooks_on_unknown_layers_are_refused() {
        try (BadNet net = load()) {
            assertThrows(IllegalArgumentException.class, () -> net.classify(images, List.of(new ChannelMeans("pool_7"))));
        }
        assertThrows(IllegalStateException.class, () -> new ChannelMeans("pool_3").means());
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv_1", "conv_2", "conv_3", "conv_4"})
    void cache_answers_as_the_model_with_zeroed_weights(String layer) throws IOException {
        int[] channels = {5, 0, 17, 3};
        try (BadNet net = load(); BadNet pruned = net.pruned(layer, channels);
                PruningCache cache = PruningCache.build(net, layer, source(images), 64, List.of())) {
            assertArrayEquals(net.classify(images), cache.originalClasses());
            assertArrayEquals(pruned.classify(images), cache.classify(channels));
            assertArrayEquals(net.classify(images), cache.classify(new int[0]));
            assertEquals(Map.of(layer, List.of(5, 0, 17, 3)), Map.of(layer,
                    java.util.Arrays.stream(pruned.prunedChannels().get(layer)).boxed().toList()));
            float[] out = pruned.outputs(images, Set.of(layer)).get(layer);
            int perChannel = out.length / images.size() / DeepId.INSTANCE.layer(layer).outputs();
            for (int c : channels) {
                for (int p = 0; p < perChannel; p++) {
                    assertEquals(0f, out[c * perChannel + p], "pruned channel " + c + " is silent");
                }
            }
        }
    }

    @Test
    void a_cache_over_several_layers_answers_as_the_model_with_all_of_them_zeroed() throws IOException {
        Map<String, int[]> channels = Map.of("conv_2", new int[] {1, 39}, "conv_3", new int[] {4, 8, 15},
                "conv_4", new int[] {0, 79});
        try (BadNet net = load(); BadNet pruned = net.pruned(channels);
                PruningCache cache = PruningCache.build(net, List.of("conv_2", "conv_3", "conv_4"), source(images), 64,
                        List.of())) {
            assertEquals(40L * 12 * 10 * Float.BYTES, cache.bytesPerImage(), "cached at pool_2");
            assertArrayEquals(pruned.classify(images), cache.classify(channels));
            assertArrayEquals(net.pruned("conv_3", channels.get("conv_3")).classify(images),
                    cache.classify(Map.of("conv_3", channels.get("conv_3"))));
            assertThrows(IllegalStateException.class, () -> cache.classify(new int[] {1}));
            assertThrows(IllegalArgumentException.class, () -> cache.classify(Map.of("conv_1", new int[] {1})));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv_1", "conv_2", "both"})
    void small_cnn_cache_answers_as_the_model_with_zeroed_weights(String which) throws IOException {
        Map<String, int[]> channels = which.equals("both")
                ? Map.of("conv_1", new int[] {2, 9}, "conv_2", new int[] {0, 31, 6})
                : Map.of(which, new int[] {3, 1});
        float[] pixels = SmallCnnTest.randomImages(300, 4);
        ImageBatch batch = new ImageBatch(pixels, null, 300);
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(5), SmallCnnTest.OPTIONS);
                BadNet pruned = net.pruned(channels);
                PruningCache cache = PruningCache.build(net, List.copyOf(channels.keySet()),
                        new ArrayImages("random", ImageShape.FASHION_MNIST, pixels, null), 64, List.of())) {
            int[] expected = pruned.classify(batch);
            assertArrayEquals(expected, cache.classify(channels));
            assertTrue(java.util.Arrays.stream(expected).distinct().count() > 1, "random weights give several classes");
        }
    }

    @Test
    void accuracies_along_an_order_are_those_of_models_pruned_and_evaluated_in_full() throws IOException {
        float[] pixels = SmallCnnTest.randomImages(200, 8);
        List<LayerChannel> order = new java.util.ArrayList<>();
        for (int c = 0; c < 16; c++) {
            order.add(new LayerChannel("conv_2", 31 - 2 * c));
            order.add(new LayerChannel("conv_1", (7 * c) % 16));
        }
        List<int[]> steps = new java.util.ArrayList<>();
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(5), SmallCnnTest.OPTIONS)) {
            // labelled with the net's own classes: the unpruned net is right on every image
            ArrayImages images = new ArrayImages("own-classes", ImageShape.FASHION_MNIST, pixels,
                    net.classify(new ImageBatch(pixels, null, 200)));
            double[] accuracies;
            try (PruningCache cache = PruningCache.build(net, List.of("conv_1", "conv_2"), images, 64, List.of())) {
                accuracies = cache.accuracies(order, (done, total) -> steps.add(new int[] {done, total}));
            }
            assertEquals(order.size(), accuracies.length);
            for (int k = 1; k <= order.size(); k++) {
                assertArrayEquals(new int[] {k, order.size()}, steps.get(k - 1), "listener call " + k);
                try (BadNet pruned = net.pruned(LayerChannel.byLayer(order.subList(0, k)))) {
                    assertEquals(Evaluation.accuracy(pruned, images, 64).percent(), accuracies[k - 1], "step " + k);
                }
            }
            assertTrue(accuracies[0] > accuracies[order.size() - 1], java.util.Arrays.toString(accuracies));
        }
    }

    @Test
    void accuracies_need_labelled_images_and_the_caches_layers() throws IOException {
        float[] pixels = SmallCnnTest.randomImages(10, 2);
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(5), SmallCnnTest.OPTIONS);
                PruningCache unlabelled = PruningCache.build(net, "conv_2",
                        new ArrayImages("random", ImageShape.FASHION_MNIST, pixels, null), 8, List.of());
                PruningCache labelled = PruningCache.build(net, "conv_2",
                        new ArrayImages("random", ImageShape.FASHION_MNIST, pixels, new int[10]), 8, List.of())) {
            assertEquals("the cached images have no labels to measure accuracy against",
                    assertThrows(IllegalStateException.class, () -> unlabelled.accuracies(
                            List.of(new LayerChannel("conv_2", 0)), StepListener.NONE)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> labelled.accuracies(
                    List.of(new LayerChannel("conv_1", 0)), StepListener.NONE));
            assertEquals(0, labelled.accuracies(List.of(), StepListener.NONE).length);
        }
    }

    @Test
    void channels_by_layer_keep_the_order_of_first_steps_and_of_channels() {
        Map<String, int[]> grouped = LayerChannel.byLayer(List.of(new LayerChannel("b", 4), new LayerChannel("a", 1),
                new LayerChannel("b", 0)));
        assertEquals(List.of("b", "a"), List.copyOf(grouped.keySet()));
        assertArrayEquals(new int[] {4, 0}, grouped.get("b"));
        assertArrayEquals(new int[] {1}, grouped.get("a"));
    }

    @Test
    void pruned_copy_refuses_bad_channels_and_layers() {
        try (BadNet net = load()) {
            assertThrows(IllegalArgumentException.class, () -> net.pruned("conv_3", new int[] {60}));
            assertThrows(IllegalArgumentException.class, () -> net.pruned("fc_1", new int[] {0}));
        }
    }

    @Test
    void saved_pruned_model_keeps_the_layout_and_reloads_identically() throws IOException {
        Path saved = tmp.resolve("pruned.h5");
        try (BadNet net = load(); BadNet pruned = net.pruned("conv_3", new int[] {1, 2})) {
            pruned.save(saved);
            KerasWeights read = KerasWeights.read(saved, DeepId.WEIGHTED_LAYERS);
            assertEquals(Layout.FULL_MODEL, read.layout());
            assertEquals(0f, read.layer("conv_3").bias()[2]);
            try (BadNet again = BadNet.load(saved, ModelOptions.defaults().withDevice("cpu"))) {
                assertArrayEquals(pruned.logits(images), again.logits(images));
            }
            assertThrows(IOException.class, () -> pruned.save(saved));
        }
    }

    @Test
    void goodnet_flags_disagreements() {
        assertArrayEquals(new int[] {3, 10, 0}, GoodNet.combine(new int[] {3, 4, 0}, new int[] {3, 5, 0}, 10));
        assertThrows(IllegalArgumentException.class, () -> GoodNet.combine(new int[1], new int[2], 10));
        Classifier b = batch -> new int[] {1, 2};
        Classifier bPrime = batch -> new int[] {1, 7};
        assertArrayEquals(new int[] {1, 1283},
                new GoodNet(b, bPrime, DeepId.CLASSES).classify(BadNetTest.randomImages(2, 1)));
    }

    @Test
    void accuracy_counts_matches_and_classes() {
        assertEquals(new Accuracy(2, 3), Accuracy.of(new int[] {1, 2, 3}, new int[] {1, 0, 3}));
        assertEquals(new Accuracy(1, 3), Accuracy.ofClass(new int[] {1, 1283, 3}, 1283));
        assertEquals(50.0, new Accuracy(1, 2).percent());
        assertTrue(Double.isNaN(new Accuracy(0, 0).percent()));
        assertThrows(IllegalArgumentException.class, () -> new Accuracy(3, 2));
    }

    /** The batch as an image source with fixed labels, handed out in pieces of the asked size. */
    static ImageSource source(ImageBatch all) {
        int[] labels = new int[all.size()];
        return new ImageSource() {
            @Override
            public String name() {
                return "generated";
            }

            @Override
            public int size() {
                return all.size();
            }

            @Override
            public boolean labelled() {
                return true;
            }

            @Override
            public void forEachBatch(int batchSize, Consumer<ImageBatch> consumer) {
                for (int start = 0; start < all.size(); start += batchSize) {
                    int count = Math.min(batchSize, all.size() - start);
                    float[] pixels = java.util.Arrays.copyOfRange(all.pixels(), start * all.imageValues(),
                            (start + count) * all.imageValues());
                    consumer.accept(new ImageBatch(pixels, java.util.Arrays.copyOfRange(labels, start, start + count),
                            count));
                }
            }
        };
    }
}
