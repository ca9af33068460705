package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pixel values that do not fit a model's input scale are named; raw pixels pass. */
class InputRangeTest {
    @Test
    void raw_pixels_and_black_images_pass() {
        assertEquals(Optional.empty(), InputRange.check(new float[] {0, 17, 255, 3}, 0, 4, 1));
        assertEquals(Optional.empty(), InputRange.check(new float[] {0, 0, 0}, 0, 3, 255));
    }

    @Test
    void pixels_already_divided_by_255_are_named_with_the_scale() {
        String warning = InputRange.check(new float[] {0, 0.25f, 1}, 0, 3, 1).orElseThrow();
        assertTrue(warning.startsWith("input pixel values all lie within [0, 1] (largest 1)"), warning);
        assertTrue(warning.contains("divides them by its input scale 1,"), warning);
    }

    @Test
    void values_outside_0_to_255_are_named_with_their_range() {
        String warning = InputRange.check(new float[] {-3, 10, 300}, 0, 3, 255).orElseThrow();
        assertTrue(warning.startsWith("input pixel values range over [-3, 300], outside 0..255"), warning);
        assertTrue(InputRange.check(new float[] {0, 255.5f}, 0, 2, 1).orElseThrow().contains("[0, 255.5]"));
    }

    @Test
    void only_the_given_images_are_checked() {
        float[] pixels = {-1, 20, 200, 0.5f};
        assertEquals(Optional.empty(), InputRange.check(pixels, 1, 2, 1));
    }
}
