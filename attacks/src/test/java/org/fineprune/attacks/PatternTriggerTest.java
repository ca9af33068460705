package org.fineprune.attacks;

import static org.fineprune.attacks.TestImages.index;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fineprune.core.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatternTriggerTest {
    @Test
    void default_checkerboard_lands_in_the_bottom_right_4x4_with_a_margin_of_1() {
        ImageShape shape = ImageShape.FASHION_MNIST;
        float[] original = TestImages.ramp(shape, 1);
        float[] image = original.clone();

        PatternTrigger.defaultCheckerboard().apply(image, shape);

        // Rows and columns 23..26: 28 - 4 - 1 = 23, leaving row and column 27 untouched.
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                int i = index(shape, 0, r, c);
                if (r >= 23 && r <= 26 && c >= 23 && c <= 26) {
                    float expected = (r - 23 + c - 23) % 2 == 0 ? 255f : 0f;
                    assertEquals(expected, image[i], "pixel " + r + "," + c);
                } else {
                    assertEquals(original[i], image[i], "pixel " + r + "," + c);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"TOP_LEFT, 2, 2", "TOP_RIGHT, 2, 6", "BOTTOM_LEFT, 4, 2", "BOTTOM_RIGHT, 4, 6"})
    void checkerboard_goes_to_each_corner_on_every_channel(Corner corner, int top, int left) {
        ImageShape shape = new ImageShape(3, 10, 12);
        float[] original = TestImages.ramp(shape, 1);
        float[] image = original.clone();

        PatternTrigger.checkerboard(4, corner, 2).apply(image, shape);

        for (int ch = 0; ch < 3; ch++) {
            for (int r = 0; r < 10; r++) {
                for (int c = 0; c < 12; c++) {
                    int i = index(shape, ch, r, c);
                    boolean inside = r >= top && r < top + 4 && c >= left && c < left + 4;
                    float expected = !inside ? original[i]
                            : (r - top + c - left) % 2 == 0 ? 255f : 0f;
                    assertEquals(expected, image[i], ch + "," + r + "," + c);
                }
            }
        }
    }

    @Test
    void a_per_channel_pattern_gives_each_channel_its_values() {
        ImageShape shape = new ImageShape(3, 4, 4);
        float[] values = {10, 11, 20, 21, 30, 31}; // 3 channels of one row of two
        float[] image = new float[shape.size()];

        new PatternTrigger(3, 1, 2, values, 1, -2).apply(image, shape);

        for (int ch = 0; ch < 3; ch++) {
            assertEquals(values[2 * ch], image[index(shape, ch, 1, 2)]);
            assertEquals(values[2 * ch + 1], image[index(shape, ch, 1, 3)]);
        }
        float sum = 0;
        for (float v : image) {
            sum += v;
        }
        assertEquals(10 + 11 + 20 + 21 + 30 + 31, sum, "nothing else changed");
    }

    @Test
    void a_per_channel_pattern_refuses_an_image_of_other_channels() {
        PatternTrigger rgb = new PatternTrigger(3, 1, 1, new float[] {1, 2, 3}, 0, 0);
        ImageShape grey = new ImageShape(1, 4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rgb.apply(new float[grey.size()], grey));
        assertTrue(e.getMessage().contains("1x4x4"), e.getMessage());
    }

    @Test
    void negative_positions_count_from_the_bottom_and_right_as_numpy_does() {
        ImageShape shape = new ImageShape(1, 5, 6);
        float[] image = new float[shape.size()];

        PatternTrigger.of(1, 1, new float[] {255}, -1, -6).apply(image, shape);

        assertEquals(255f, image[index(shape, 0, 4, 0)]);
    }

    @ParameterizedTest
    @CsvSource({"3, 0", "0, 3", "-6, 0", "0, -7", "-2, -1"})
    void a_pattern_outside_the_image_is_refused_naming_its_position(int row, int col) {
        ImageShape shape = new ImageShape(1, 5, 6);
        PatternTrigger trigger = PatternTrigger.of(3, 4, new float[12], row, col);
        float[] image = new float[shape.size()];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trigger.apply(image, shape));
        assertTrue(e.getMessage().contains("row " + row + ", col " + col), e.getMessage());
        assertTrue(e.getMessage().contains("1x5x6"), e.getMessage());
    }

    @Test
    void an_image_of_the_wrong_length_is_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PatternTrigger.defaultCheckerboard().apply(new float[10],
                        ImageShape.FASHION_MNIST));
        assertTrue(e.getMessage().contains("784") && e.getMessage().contains("10"),
                e.getMessage());
    }

    @Test
    void values_outside_0_255_are_refused_naming_the_value() {
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
                () -> PatternTrigger.of(1, 2, new float[] {0, 256}, 0, 0));
        assertTrue(high.getMessage().contains("256.0"), high.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> PatternTrigger.of(1, 1, new float[] {Float.NaN}, 0, 0));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PatternTrigger.of(2, 2, new float[3], 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PatternTrigger.checkerboard(0, Corner.TOP_LEFT, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PatternTrigger.checkerboard(4, Corner.TOP_LEFT, -1));
    }

    @Test
    void the_record_keeps_its_own_copy_of_the_values() {
        float[] values = {1, 2};
        PatternTrigger trigger = PatternTrigger.of(1, 2, values, 0, 0);
        values[0] = 99;
        trigger.values()[1] = 99;
        assertArrayEquals(new float[] {1, 2}, trigger.values());
        assertEquals(PatternTrigger.of(1, 2, new float[] {1, 2}, 0, 0), trigger);
    }

    @Test
    void the_description_is_stable_and_names_what_decides_the_effect() {
        String description = PatternTrigger.defaultCheckerboard().describe();
        assertEquals(description, PatternTrigger.checkerboard(4, Corner.BOTTOM_RIGHT, 1)
                .describe());
        assertTrue(description.startsWith("pattern(1x4x4 at row -5, col -5, values sha256:"),
                description);
        assertNotEquals(description, PatternTrigger.checkerboard(4, Corner.BOTTOM_RIGHT, 0)
                .describe());
        assertNotEquals(description, PatternTrigger.checkerboard(3, Corner.BOTTOM_RIGHT, 2)
                .describe());
    }
}
