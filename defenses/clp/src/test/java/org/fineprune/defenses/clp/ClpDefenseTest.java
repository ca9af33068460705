package org.fineprune.defenses.clp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.LayerWeights;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.Test;

/** CLP through the registry on the small generated CNN: what it prunes, and what it leaves. */
class ClpDefenseTest {
    private static final int PLANTED = 5;
    private final Defense clp = Defenses.find("clp");

    @Test
    void the_registry_finds_it_by_name() {
        assertInstanceOf(ClpDefense.class, clp);
        assertEquals(List.of("u", "layers"), clp.parameters().stream().map(p -> p.name()).toList());
        assertEquals(3.0, clp.defaults().number("u"));
    }

    @Test
    void a_planted_channel_with_a_huge_kernel_is_pruned_and_nothing_else_in_its_layer() throws IOException {
        try (BadNet plain = net(1); BadNet planted = net(20);
                DefenseResult before = clp.apply(plain, data(plain), clp.defaults(), 1);
                DefenseResult after = clp.apply(planted, data(planted), clp.defaults(), 1)) {
            assertFalse(pruned(before, "conv_2").contains(PLANTED), "the channel is ordinary before planting");
            assertEquals(List.of(PLANTED), pruned(after, "conv_2"));
            assertEquals(List.of(PLANTED), List.of(after.repairedModel().orElseThrow().prunedChannels().get("conv_2")[0]));
            @SuppressWarnings("unchecked")
            double bound = ((Map<String, List<Double>>) after.diagnostics().get("bounds")).get("conv_2").get(PLANTED);
            @SuppressWarnings("unchecked")
            double threshold = ((Map<String, Double>) after.diagnostics().get("thresholds")).get("conv_2");
            assertTrue(bound > threshold, bound + " over " + threshold);
            assertTrue(after.pruningOrder().isEmpty(), "CLP prunes at once");
        }
    }

    @Test
    void a_large_u_prunes_nothing() throws IOException {
        try (BadNet planted = net(20);
                DefenseResult result = clp.apply(planted, data(planted), clp.settings(Map.of("u", 1000)), 1)) {
            assertEquals(Map.of("conv_1", List.of(), "conv_2", List.of()), result.diagnostics().get("prunedChannels"));
            assertTrue(result.repairedModel().orElseThrow().prunedChannels().isEmpty());
        }
    }

    @Test
    void only_the_named_layers_are_pruned() throws IOException {
        try (BadNet planted = net(20); DefenseResult result = clp.apply(planted, data(planted),
                clp.settings(Map.of("layers", "conv_1,conv_1", "u", 0)), 1)) {
            assertEquals(List.of("conv_1"), List.copyOf(result.repairedModel().orElseThrow().prunedChannels().keySet()));
            assertEquals(Set.of("conv_1"), ((Map<?, ?>) result.diagnostics().get("bounds")).keySet());
            assertEquals(pruned(result, "conv_1"), Arrays.stream(result.repairedModel().orElseThrow().prunedChannels()
                    .get("conv_1")).boxed().toList(), "a layer named twice is pruned once");
        }
    }

    @Test
    void the_same_network_gives_the_same_result_whatever_the_seed() throws IOException {
        try (BadNet planted = net(20); DefenseResult a = clp.apply(planted, data(planted), clp.defaults(), 1);
                DefenseResult b = clp.apply(planted, data(planted), clp.defaults(), 99)) {
            assertEquals(a.diagnostics(), b.diagnostics());
        }
    }

    @Test
    void a_layer_the_network_lacks_is_refused_before_any_work() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> clp.check(SmallCnn.INSTANCE, clp.settings(Map.of("layers", "conv_1,conv_9"))));
        assertTrue(e.getMessage().startsWith("defense 'clp': parameter 'layers': 'conv_9' is not a convolution layer"),
                e.getMessage());
    }

    /** The small CNN with random weights, channel {@value #PLANTED} of conv_2 scaled by {@code factor}. */
    private static BadNet net(float factor) {
        List<LayerWeights> weights = new ArrayList<>();
        for (LayerWeights w : SmallCnnWeights.random(3)) {
            if (w.spec().name().equals("conv_2")) {
                float[] kernel = w.kernel().clone();
                int out = w.spec().outputs();
                // Keras layout (kh, kw, in, out): the output channel is the fastest axis.
                for (int i = PLANTED; i < kernel.length; i += out) {
                    kernel[i] *= factor;
                }
                w = new LayerWeights(w.spec(), kernel, w.bias());
            }
            weights.add(w);
        }
        return BadNet.fromWeights(SmallCnn.INSTANCE, weights, new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"));
    }

    private static DefenderData data(BadNet net) {
        float[] pixels = BlobImages.generate(20, 9);
        return new DefenderData(new ArrayImages("generated", ImageShape.FASHION_MNIST, pixels,
                net.classify(new ImageBatch(pixels, null, 20))));
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> pruned(DefenseResult result, String layer) {
        return ((Map<String, List<Integer>>) result.diagnostics().get("prunedChannels")).get(layer);
    }
}
