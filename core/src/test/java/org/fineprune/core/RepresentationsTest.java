package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.junit.jupiter.api.Test;

class RepresentationsTest {
    @Test
    void last_hidden_layer_feeds_the_output() {
        assertEquals("fc_1", Representations.lastHiddenLayer(SmallCnn.INSTANCE));
    }

    @Test
    void rows_are_the_layer_output_of_each_image_in_order_whatever_the_batch_size() throws Exception {
        float[] pixels = BlobImages.generate(10, 3);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        ArrayImages images = new ArrayImages("blobs", ImageShape.FASHION_MNIST, pixels, labels);
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(5), SmallCnnTest.OPTIONS)) {
            Representations byThree = Representations.of(net, images, "fc_1", 3);
            Representations whole = Representations.of(net, images, "fc_1", 10);
            ImageBatch all = new ImageBatch(pixels, labels, 10);
            float[] expected = net.outputs(all, Set.of("fc_1")).get("fc_1");
            assertEquals(10, byThree.size());
            for (int i = 0; i < 10; i++) {
                assertEquals(128, byThree.rows()[i].length);
                for (int j = 0; j < 128; j++) {
                    assertEquals(expected[i * 128 + j], byThree.rows()[i][j], 1e-4);
                }
            }
            assertArrayEquals(net.classify(all), byThree.predicted());
            assertArrayEquals(whole.predicted(), byThree.predicted());
            assertArrayEquals(labels, byThree.labels());
        }
    }

    @Test
    void indices_of_a_class_are_increasing() {
        assertArrayEquals(new int[] {1, 3}, Representations.indicesOf(new int[] {0, 2, 1, 2}, 2));
    }
}
