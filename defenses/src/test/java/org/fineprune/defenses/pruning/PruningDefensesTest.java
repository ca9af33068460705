package org.fineprune.defenses.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ImageSource;
import org.fineprune.core.LayerChannel;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pruning defenses on a generated {@link SmallCnn}: one pruning pass for every drop of {@code
 * applyAll}, each result what {@code apply} gives alone, the pruning order, and the network check.
 */
class PruningDefensesTest {
    private static final int IMAGES = 120;
    private static final List<Double> DROPS = List.of(2.0, 10.0, 30.0);

    private static BadNet net;
    private static ArrayImages valid;

    @BeforeAll
    static void generateNetAndImages() {
        net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(3),
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"));
        float[] pixels = BlobImages.generate(IMAGES, 9);
        // the net's own classes as labels: the unpruned net is right on every image
        valid = new ArrayImages("generated-valid", ImageShape.FASHION_MNIST, pixels,
                net.classify(new ImageBatch(pixels, null, IMAGES)));
    }

    @AfterAll
    static void closeNet() {
        if (net != null) {
            net.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pruning", "fine-pruning", "multi-layer-fine-pruning"})
    void apply_all_prunes_once_and_gives_each_drop_what_apply_gives_alone(String name) throws IOException {
        Defense defense = Defenses.find(name);
        assertEquals(List.of("drop"), defense.sharedParameters());
        boolean tunes = !name.equals("pruning");
        List<Settings> settings = DROPS.stream().map(drop -> settings(defense, drop)).toList();
        CountingImages clean = new CountingImages(valid);
        List<DefenseResult> together = defense.applyAll(net, new DefenderData(clean), settings, 5);
        try {
            assertEquals(1 + (tunes ? DROPS.size() : 0), clean.reads, "one pruning pass, then one tuning per drop");
            assertEquals(DROPS.size(), together.size());
            List<Integer> pruned = new ArrayList<>();
            for (int i = 0; i < DROPS.size(); i++) {
                DefenseResult all = together.get(i);
                try (DefenseResult alone = defense.apply(net, new DefenderData(valid), settings.get(i), 5)) {
                    String what = name + " at drop " + DROPS.get(i);
                    assertEquals(alone.diagnostics(), all.diagnostics(), what);
                    assertEquals(alone.pruningOrder(), all.pruningOrder(), what);
                    BadNet a = alone.repairedModel().orElseThrow();
                    BadNet b = all.repairedModel().orElseThrow();
                    assertEquals(lists(a.prunedChannels()), lists(b.prunedChannels()), what);
                    assertArrayEquals(Evaluation.classes(a, valid, 64), Evaluation.classes(b, valid, 64), what);
                }
                pruned.add(b(all).prunedChannels().values().stream().mapToInt(c -> c.length).sum());
            }
            assertTrue(pruned.get(0) < pruned.get(1) && pruned.get(1) < pruned.get(2),
                    "each drop keeps a model of its own: " + pruned);
        } finally {
            together.forEach(DefenseResult::close);
        }
    }

    @ParameterizedTest
    @CsvSource({"pruning, conv_2, 32", "fine-pruning, conv_1, 16", "multi-layer-fine-pruning, , 48"})
    void the_pruning_order_ranks_every_channel_and_the_pruned_ones_come_first(String name, String layer,
            int channels) throws IOException {
        Defense defense = Defenses.find(name);
        Map<String, Object> given = new LinkedHashMap<>(Map.of("drop", 10, "epochs", 1, "batch-size", 32));
        if (layer != null) {
            given.put("layer", layer);
        } else {
            given.remove("layer");
        }
        if (name.equals("pruning")) {
            given.remove("epochs");
            given.remove("batch-size");
        }
        try (DefenseResult result = defense.apply(net, new DefenderData(valid), defense.settings(given), 5)) {
            List<LayerChannel> order = result.pruningOrder();
            assertEquals(channels, order.size());
            assertEquals(channels, order.stream().distinct().count(), "every channel once");
            @SuppressWarnings("unchecked")
            Map<String, List<Integer>> pruned = (Map<String, List<Integer>>) result.diagnostics().get("prunedChannels");
            int k = pruned.values().stream().mapToInt(List::size).sum();
            assertTrue(k > 0 && k < channels, "pruned " + k);
            assertEquals(pruned, lists(LayerChannel.byLayer(order.subList(0, k))));
        }
    }

    @Test
    void fine_tuning_has_no_pruning_order() throws IOException {
        Defense tuning = Defenses.find("fine-tuning");
        try (DefenseResult result = tuning.apply(net, new DefenderData(valid),
                tuning.settings(Map.of("epochs", 1, "batch-size", 32)), 5)) {
            assertEquals(List.of(), result.pruningOrder());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pruning| layer=fc_1| defense 'pruning': parameter 'layer': 'fc_1' is not a convolution layer of"
                + " small-cnn; conv layers: [conv_1, conv_2]",
        "fine-pruning| layer=pool_2| defense 'fine-pruning': parameter 'layer': 'pool_2' is not a convolution"
                + " layer of small-cnn; conv layers: [conv_1, conv_2]",
        "multi-layer-fine-pruning| layers=conv_1,conv_3| defense 'multi-layer-fine-pruning': parameter 'layers':"
                + " 'conv_3' is not a convolution layer of small-cnn; conv layers: [conv_1, conv_2]",
        "multi-layer-fine-pruning| fractions=0.5| defense 'multi-layer-fine-pruning': parameter 'fractions':"
                + " [0.5] are 1 fractions for 2 layers [conv_1, conv_2]; give one per layer (conv layers of"
                + " small-cnn: [conv_1, conv_2])"})
    void settings_that_do_not_fit_the_network_are_refused_by_check_and_by_apply(String name, String setting,
            String message) {
        Defense defense = Defenses.find(name);
        String[] kv = setting.split("=", 2);
        Settings settings = defense.settings(Map.of(kv[0], kv[1]));
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> defense.check(SmallCnn.INSTANCE, settings)).getMessage());
        CountingImages clean = new CountingImages(valid);
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> defense.apply(net, new DefenderData(clean), settings, 5)).getMessage());
        assertEquals(0, clean.reads, "refused before any work");
    }

    @Test
    void settings_that_fit_pass_the_check() {
        for (Defense defense : Defenses.all()) {
            defense.check(SmallCnn.INSTANCE, defense.defaults());
        }
        Defense multi = Defenses.find("multi-layer-fine-pruning");
        multi.check(SmallCnn.INSTANCE, multi.settings(Map.of("layers", "conv_2,conv_1", "fractions", "0.5,0.25")));
    }

    @Test
    void apply_all_refuses_settings_that_differ_in_more_than_the_drop() {
        Defense defense = Defenses.find("fine-pruning");
        List<Settings> settings = List.of(defense.settings(Map.of("drop", 2)),
                defense.settings(Map.of("drop", 4, "epochs", 3, "layer", "conv_1")));
        assertEquals("defense 'fine-pruning': settings applied together may differ only in [drop], not in"
                + " [epochs, layer]", assertThrows(IllegalArgumentException.class,
                        () -> defense.applyAll(net, new DefenderData(valid), settings, 5)).getMessage());
        Defense pruning = Defenses.find("pruning");
        assertEquals("settings of defense 'fine-pruning' given to defense 'pruning'",
                assertThrows(IllegalArgumentException.class, () -> pruning.applyAll(net, new DefenderData(valid),
                        List.of(pruning.defaults(), defense.defaults()), 5)).getMessage());
    }

    private static Settings settings(Defense defense, double drop) {
        Map<String, Object> given = new LinkedHashMap<>(Map.of("drop", drop));
        if (!defense.name().equals("pruning")) {
            given.putAll(Map.of("epochs", 1, "batch-size", 32));
        }
        return defense.settings(given);
    }

    private static BadNet b(DefenseResult result) {
        return result.repairedModel().orElseThrow();
    }

    private static Map<String, List<Integer>> lists(Map<String, int[]> byLayer) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        byLayer.forEach((layer, c) -> out.put(layer, Arrays.stream(c).boxed().toList()));
        return out;
    }

    /** Images that count how often they are read. */
    private static final class CountingImages implements ImageSource {
        private final ImageSource images;
        int reads;

        CountingImages(ImageSource images) {
            this.images = images;
        }

        @Override
        public String name() {
            return images.name();
        }

        @Override
        public int size() {
            return images.size();
        }

        @Override
        public boolean labelled() {
            return images.labelled();
        }

        @Override
        public void forEachBatch(int batchSize, Consumer<ImageBatch> consumer) throws IOException {
            reads++;
            images.forEachBatch(batchSize, consumer);
        }
    }
}
