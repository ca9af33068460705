package org.fineprune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.fineprune.core.DeepId;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageSource;
import org.junit.jupiter.api.Test;

/** A sample repeated to a larger size, as the pruning benchmark uses it. */
class RepeatedImagesTest {
    @Test
    void repeats_images_and_labels_in_order_and_cuts_the_last_copy() throws Exception {
        RepeatedImages repeated = RepeatedImages.of(sample(3), 8);
        assertEquals(8, repeated.size());
        List<Integer> labels = new ArrayList<>();
        List<Float> firstPixels = new ArrayList<>();
        repeated.forEachBatch(3, batch -> {
            for (int i = 0; i < batch.size(); i++) {
                labels.add(batch.labels()[i]);
                firstPixels.add(batch.pixels()[i * DeepId.IMAGE_VALUES]);
            }
        });
        assertEquals(List.of(10, 11, 12, 10, 11, 12, 10, 11), labels);
        assertEquals(List.of(0f, 1f, 2f, 0f, 1f, 2f, 0f, 1f), firstPixels);
    }

    @Test
    void rejects_an_empty_target() {
        assertThrows(IllegalArgumentException.class, () -> RepeatedImages.of(sample(2), 0));
    }

    @Test
    void whole_images_are_copied() throws Exception {
        RepeatedImages repeated = RepeatedImages.of(sample(2), 4);
        List<ImageBatch> batches = new ArrayList<>();
        repeated.forEachBatch(4, batches::add);
        float[] pixels = batches.get(0).pixels();
        assertArrayEquals(Arrays.copyOfRange(pixels, 0, DeepId.IMAGE_VALUES),
                Arrays.copyOfRange(pixels, 2 * DeepId.IMAGE_VALUES, 3 * DeepId.IMAGE_VALUES));
    }

    /** {@code n} images whose pixels all equal their index, labelled 10, 11, ... */
    private static ImageSource sample(int n) {
        return new ImageSource() {
            @Override
            public String name() {
                return "sample";
            }

            @Override
            public int size() {
                return n;
            }

            @Override
            public boolean labelled() {
                return true;
            }

            @Override
            public void forEachBatch(int batchSize, Consumer<ImageBatch> consumer) {
                float[] pixels = new float[n * DeepId.IMAGE_VALUES];
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    Arrays.fill(pixels, i * DeepId.IMAGE_VALUES, (i + 1) * DeepId.IMAGE_VALUES, i);
                    labels[i] = 10 + i;
                }
                consumer.accept(new ImageBatch(pixels, labels, n));
            }
        };
    }
}
