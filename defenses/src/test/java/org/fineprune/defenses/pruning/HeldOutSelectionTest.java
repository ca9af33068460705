package org.fineprune.defenses.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.LayerChannel;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pruning defenses with selection images held out of their clean images: channels ranked on
 * the clean images, every accuracy of the stopping rule measured on the selection images, and the
 * relative drop of BackdoorBench's stopping rule. The selection images are labelled so that the
 * BadNet is right on half of them, the clean ones so that it is right on all.
 */
class HeldOutSelectionTest {
    private static BadNet net;
    private static ArrayImages clean;
    private static ArrayImages selection;

    @BeforeAll
    static void generateNetAndImages() {
        net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(3),
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"));
        float[] learn = BlobImages.generate(120, 9);
        clean = new ArrayImages("generated-clean", ImageShape.FASHION_MNIST, learn,
                net.classify(new ImageBatch(learn, null, 120)));
        float[] held = BlobImages.generate(80, 10);
        int[] labels = net.classify(new ImageBatch(held, null, 80));
        for (int i = 1; i < labels.length; i += 2) {
            labels[i] = (labels[i] + 1) % SmallCnn.INSTANCE.classes();
        }
        selection = new ArrayImages("generated-selection", ImageShape.FASHION_MNIST, held, labels);
    }

    @AfterAll
    static void closeNet() {
        if (net != null) {
            net.close();
        }
    }

    private static Map<String, Object> settings(String defense, Map<String, Object> more) {
        Map<String, Object> given = new LinkedHashMap<>(more);
        if (!defense.equals("pruning")) {
            given.put("epochs", 1);
            given.put("batch-size", 32);
        }
        return given;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pruning", "fine-pruning", "multi-layer-fine-pruning"})
    void channels_are_ranked_on_the_clean_images_and_the_stop_measured_on_the_selection(String name)
            throws IOException {
        Defense defense = Defenses.find(name);
        var given = defense.settings(settings(name, Map.of("drop", 10)));
        try (DefenseResult heldOut = defense.apply(net, new DefenderData(clean, selection, null), given, 5);
                DefenseResult cleanOnly = defense.apply(net, new DefenderData(clean), given, 5);
                DefenseResult selectionOnly = defense.apply(net, new DefenderData(selection), given, 5)) {
            assertEquals(cleanOnly.pruningOrder(), heldOut.pruningOrder(), "ranked on the clean images");
            assertNotEquals(selectionOnly.pruningOrder(), heldOut.pruningOrder(), "not on the selection images");
            assertEquals(100.0, cleanOnly.diagnostics().get("baselineValidAccuracy"));
            assertEquals(50.0, heldOut.diagnostics().get("baselineValidAccuracy"), "the BadNet on the selection");
            @SuppressWarnings("unchecked")
            List<Double> curve = (List<Double>) heldOut.diagnostics().get("validAccuracies");
            List<LayerChannel> order = heldOut.pruningOrder();
            for (int k : new int[] {1, order.size() / 2, order.size()}) {
                try (BadNet pruned = net.pruned(LayerChannel.byLayer(order.subList(0, k)))) {
                    assertEquals(Evaluation.accuracy(pruned, selection, 64).percent(), curve.get(k - 1), 1e-9,
                            "accuracy after " + k + " steps, on the selection images");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pruning", "multi-layer-fine-pruning"})
    void a_relative_drop_is_that_percent_of_the_badnets_selection_accuracy(String name) throws IOException {
        Defense defense = Defenses.find(name);
        DefenderData data = new DefenderData(clean, selection, null);
        // the BadNet is right on 50% of the selection images: a 40% relative drop is 20 points
        try (DefenseResult relative = defense.apply(net, data,
                defense.settings(settings(name, Map.of("drop", 40, "drop-unit", "relative"))), 5);
                DefenseResult points = defense.apply(net, data, defense.settings(settings(name, Map.of("drop", 20))), 5);
                DefenseResult forty = defense.apply(net, data, defense.settings(settings(name, Map.of("drop", 40))), 5)) {
            assertEquals(points.diagnostics().get("prunedChannels"), relative.diagnostics().get("prunedChannels"));
            assertNotEquals(forty.diagnostics().get("prunedChannels"), relative.diagnostics().get("prunedChannels"),
                    "40 points would prune further than 20");
        }
    }

    @Test
    void the_same_object_for_both_roles_is_not_held_out() {
        assertEquals(false, new DefenderData(clean).heldOut());
        assertEquals(true, new DefenderData(clean, selection, null).heldOut());
    }
}
