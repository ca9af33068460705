package org.fineprune.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.fineprune.core.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlendTriggerTest {
    private static final ImageShape SHAPE = new ImageShape(3, 2, 2);

    @Test
    void blends_by_the_ratio() {
        float[] pattern = new float[SHAPE.size()];
        Arrays.fill(pattern, 200);
        float[] image = new float[SHAPE.size()];
        Arrays.fill(image, 100);
        image[5] = 0;

        new BlendTrigger(SHAPE, pattern, 0.2).apply(image, SHAPE);

        assertEquals(0.8f * 100 + 0.2f * 200, image[0], 1e-4f);
        assertEquals(40f, image[5], 1e-4f);
    }

    @Test
    void a_ratio_of_1_replaces_the_image() {
        BlendTrigger trigger = BlendTrigger.random(SHAPE, 1, 7);
        float[] image = TestImages.ramp(SHAPE, 1);

        trigger.apply(image, SHAPE);

        assertArrayEquals(trigger.pattern(), image);
    }

    @Test
    void the_random_pattern_follows_its_seed() {
        float[] pattern = BlendTrigger.random(SHAPE, 0.2, 1).pattern();
        assertArrayEquals(pattern, BlendTrigger.random(SHAPE, 0.2, 1).pattern());
        assertFalse(Arrays.equals(pattern, BlendTrigger.random(SHAPE, 0.2, 2).pattern()));
        for (float v : pattern) {
            assertTrue(v >= 0 && v <= 255 && v == Math.rint(v), "integer in 0..255: " + v);
        }
        assertEquals(BlendTrigger.random(SHAPE, 0.2, 1), BlendTrigger.random(SHAPE, 0.2, 1));
        assertNotEquals(BlendTrigger.random(SHAPE, 0.2, 1).describe(),
                BlendTrigger.random(SHAPE, 0.3, 1).describe());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.5, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
    void a_ratio_outside_0_1_is_refused_naming_it(double alpha) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlendTrigger.random(SHAPE, alpha, 1));
        assertTrue(e.getMessage().contains(String.valueOf(alpha)), e.getMessage());
    }

    @Test
    void a_pattern_of_another_shape_is_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> new BlendTrigger(SHAPE, new float[5], 0.2));
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> new BlendTrigger(new ImageShape(1, 1, 1), new float[] {300}, 0.2));
        assertTrue(value.getMessage().contains("300.0"), value.getMessage());

        ImageShape other = new ImageShape(1, 2, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlendTrigger.random(SHAPE, 0.2, 1).apply(new float[12], other));
        assertTrue(e.getMessage().contains("1x2x6") && e.getMessage().contains("3x2x2"),
                e.getMessage());
    }
}
