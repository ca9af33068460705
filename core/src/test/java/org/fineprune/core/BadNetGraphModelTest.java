package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.fineprune.core.graph.GraphModel;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.Test;

/** {@link BadNet#graphModel}: the weights in the engine's layout, pruned channels zero, a copy. */
class BadNetGraphModelTest {
    @Test
    void it_holds_the_kernels_in_the_engines_layout_with_pruned_channels_zero_and_is_a_copy() {
        List<LayerWeights> weights = SmallCnnWeights.random(3);
        LayerWeights conv2 = weights.get(1);
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, weights,
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"));
                BadNet pruned = net.pruned("conv_2", new int[] {4})) {
            GraphModel model = pruned.graphModel();
            float[] kernel = model.weights().get("conv_2/weight");
            assertEquals(SmallCnn.INSTANCE.graph(), model.graph());
            assertArrayEquals(KerasLayout.toDjl(conv2), net.graphModel().weights().get("conv_2/weight"));
            int slice = kernel.length / 32;
            for (int c = 0; c < 32; c++) {
                float sum = 0;
                for (int i = c * slice; i < (c + 1) * slice; i++) {
                    sum += Math.abs(kernel[i]);
                }
                assertEquals(c == 4, sum == 0, "channel " + c);
            }
            kernel[0] = 1000;
            assertEquals(KerasLayout.toDjl(conv2)[0], pruned.graphModel().weights().get("conv_2/weight")[0]);
        }
    }
}
