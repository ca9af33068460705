package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** ArrayImages.copyOf: an image source read into memory over several batches. */
class ArrayImagesCopyTest {
    @Test
    void copies_every_batch_with_its_labels() throws IOException {
        ImageShape shape = new ImageShape(1, 2, 3);
        float[] pixels = new float[300 * 6];
        int[] labels = new int[300];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i % 251;
        }
        for (int i = 0; i < 300; i++) {
            labels[i] = i % 7;
        }
        ArrayImages copy = ArrayImages.copyOf(new ArrayImages("src", shape, pixels, labels), shape);
        assertArrayEquals(pixels, copy.pixels());
        assertArrayEquals(labels, copy.labels());
        assertEquals("src", copy.name());
        assertNull(ArrayImages.copyOf(new ArrayImages("unlabelled", shape, pixels, null), shape).labels());
    }

    @Test
    void refuses_images_of_another_shape_naming_the_source() {
        ImageShape shape = new ImageShape(1, 2, 3);
        ArrayImages source = new ArrayImages("faces.h5", shape, new float[12], null);
        assertEquals("faces.h5: images of 6 values, not 1x3x3 (9 values)", assertThrows(IllegalArgumentException.class,
                () -> ArrayImages.copyOf(source, new ImageShape(1, 3, 3))).getMessage());
    }
}
