package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageShapeTest {
    @Test
    void sizes_and_text_follow_chw() {
        assertEquals(3 * 55 * 47, ImageShape.DEEPID.size());
        assertEquals(55 * 47, ImageShape.DEEPID.planeSize());
        assertEquals("1x28x28", ImageShape.FASHION_MNIST.toString());
    }

    @ParameterizedTest
    @CsvSource({"0, 28, 28", "1, -1, 28", "3, 55, 0"})
    void rejects_non_positive_dimensions_naming_them(int channels, int height, int width) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageShape(channels, height, width));
        assertTrue(e.getMessage().contains(channels + "x" + height + "x" + width), e.getMessage());
    }

    @Test
    void rejects_an_image_too_large_for_an_array() {
        assertThrows(IllegalArgumentException.class, () -> new ImageShape(3, 65_536, 65_536));
    }

    @Test
    void counts_whole_images_in_a_batch_only() {
        ImageShape shape = new ImageShape(2, 3, 4);
        assertEquals(5, shape.count(new float[5 * 24]));
        assertEquals(0, shape.count(new float[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> shape.count(new float[25]));
        assertTrue(e.getMessage().contains("25"), e.getMessage());
    }
}
