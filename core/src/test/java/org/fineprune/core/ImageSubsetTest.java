package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageSubsetTest {
    /** 50 one-value images whose pixel and label are their position. */
    private static ArrayImages numbered() {
        float[] pixels = new float[50];
        int[] labels = new int[50];
        for (int i = 0; i < 50; i++) {
            pixels[i] = i;
            labels[i] = i;
        }
        return new ArrayImages("numbered", new ImageShape(1, 1, 1), pixels, labels);
    }

    private static List<Integer> read(ImageSource source, int batchSize, List<Integer> batchSizes) throws IOException {
        List<Integer> labels = new ArrayList<>();
        source.forEachBatch(batchSize, batch -> {
            batchSizes.add(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                assertEquals(batch.labels()[i], (int) batch.pixels()[i]);
                labels.add(batch.labels()[i]);
            }
        });
        return labels;
    }

    @Test
    void a_split_is_seeded_disjoint_complete_and_of_the_exact_sizes() throws IOException {
        ArrayImages all = numbered();
        ImageSubset[] parts = ImageSubset.split(all, 10, 7, "drawn", "rest");
        assertEquals(10, parts[0].size());
        assertEquals(40, parts[1].size());
        List<Integer> drawn = read(parts[0], 4, new ArrayList<>());
        List<Integer> rest = read(parts[1], 4, new ArrayList<>());
        Set<Integer> union = new HashSet<>(drawn);
        union.addAll(rest);
        assertEquals(50, union.size());
        assertEquals(drawn.stream().sorted().toList(), drawn);
        assertArrayEquals(parts[0].indices(), ImageSubset.split(all, 10, 7, "a", "b")[0].indices());
        assertFalse(Arrays.equals(parts[0].indices(), ImageSubset.split(all, 10, 8, "a", "b")[0].indices()));
    }

    @Test
    void batches_are_full_but_the_last() throws IOException {
        ImageSubset part = new ImageSubset("odd", numbered(), new int[] {1, 3, 5, 7, 9, 11, 13});
        List<Integer> sizes = new ArrayList<>();
        assertEquals(List.of(1, 3, 5, 7, 9, 11, 13), read(part, 3, sizes));
        assertEquals(List.of(3, 3, 1), sizes);
    }

    @Test
    void drawing_every_image_leaves_no_rest_and_out_of_range_counts_are_refused() {
        assertNull(ImageSubset.split(numbered(), 50, 1, "all", "none")[1]);
        assertThrows(IllegalArgumentException.class, () -> ImageSubset.split(numbered(), 51, 1, "a", "b"));
        assertThrows(IllegalArgumentException.class, () -> ImageSubset.split(numbered(), 0, 1, "a", "b"));
        assertThrows(IllegalArgumentException.class, () -> new ImageSubset("x", numbered(), new int[] {3, 2}));
    }
}
