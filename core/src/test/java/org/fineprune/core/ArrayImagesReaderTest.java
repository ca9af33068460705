package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A whole image source read into memory. */
class ArrayImagesReaderTest {
    @Test
    void reads_every_image_and_label_in_order_across_batches() throws IOException {
        ImageShape shape = new ImageShape(1, 2, 2);
        float[] pixels = new float[600 * 4];
        int[] labels = new int[600];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i;
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 7;
        }
        ArrayImages read = ArrayImagesReader.read(new ArrayImages("source", shape, pixels, labels), shape);
        assertEquals("source", read.name());
        assertArrayEquals(pixels, read.pixels());
        assertArrayEquals(labels, read.labels());
    }

    @Test
    void images_of_another_shape_are_refused_naming_the_source() {
        ArrayImages small = new ArrayImages("small.h5", new ImageShape(1, 2, 2), new float[8], null);
        String message = assertThrows(IllegalArgumentException.class,
                () -> ArrayImagesReader.read(small, new ImageShape(1, 3, 3))).getMessage();
        assertTrue(message.startsWith("small.h5: images of 4 values"), message);
    }
}
