package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.Test;

class SoftmaxTest {
    @Test
    void probabilities_are_the_softmax_of_the_logits_over_several_chunks() {
        int count = BadNet.CHUNK + 5;
        ImageBatch batch = new ImageBatch(BlobImages.generate(count, 2), null, count);
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(1),
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"))) {
            float[] logits = net.logits(batch);
            float[] probabilities = Softmax.probabilities(net, batch);
            int classes = SmallCnn.CLASSES;
            assertEquals(count * classes, probabilities.length);
            for (int i = 0; i < count; i++) {
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(logits[i * classes + c]);
                }
                for (int c = 0; c < classes; c++) {
                    assertEquals(Math.exp(logits[i * classes + c]) / sum, probabilities[i * classes + c], 1e-5,
                            "image " + i + " class " + c);
                }
            }
        }
    }
}
