package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The differentiable forward pass: its logits are the model's and its input gradient matches finite differences. */
class DifferentiableForwardTest {
    @ParameterizedTest
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void the_input_gradient_of_a_logit_matches_a_finite_difference(String engine) {
        float[] pixels = BlobImages.generate(2, 5);
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(4),
                new ModelOptions(SmallCnn.INPUT_SCALE, engine, "cpu"))) {
            float[] logits = net.logits(new ImageBatch(pixels, null, 2));
            float[][] found = DifferentiableForward.run(net, (manager, forward) -> {
                NDArray x = manager.create(pixels, new Shape(2, 1, 28, 28)).div(SmallCnn.INPUT_SCALE);
                x.setRequiresGradient(true);
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDArray out = forward.of(x);
                    collector.backward(out.get(":, 3").sum());
                    return new float[][] {out.toFloatArray(), x.getGradient().toFloatArray()};
                }
            });
            assertArrayEquals(logits, found[0], 1e-4f);
            float[] gradient = found[1];
            // Central differences in raw pixels (1/255 of the scaled input) at the largest gradients of image 0.
            int checked = 0;
            for (int p = 0; p < 784 && checked < 5; p++) {
                if (Math.abs(gradient[p]) < 0.5 * max(gradient)) {
                    continue;
                }
                float[] up = pixels.clone();
                float[] down = pixels.clone();
                up[p] += 0.5f;
                down[p] -= 0.5f;
                double numeric = (net.logits(new ImageBatch(up, null, 2))[3] - net.logits(new ImageBatch(down, null, 2))[3])
                        * SmallCnn.INPUT_SCALE;
                assertEquals(gradient[p], numeric, 0.05 * Math.abs(gradient[p]), "pixel " + p);
                checked++;
            }
            assertEquals(5, checked);
        }
    }

    private static float max(float[] values) {
        float max = 0;
        for (int i = 0; i < 784; i++) {
            max = Math.max(max, Math.abs(values[i]));
        }
        return max;
    }
}
