package org.fineprune.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.fineprune.core.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The named attacks on generated images: blend opacity, exact poisoning rates, the all-to-all mapping. */
class BadNetAttackTest {
    private static final ImageShape SHAPE = ImageShape.FASHION_MNIST;
    /** 100 images of each of the ten classes. */
    private static final int N = 1_000;

    @Test
    void the_blended_trigger_is_a_fixed_random_pattern_at_10_percent_opacity() {
        BlendTrigger trigger = (BlendTrigger) BadNetAttack.BLEND.poison(0.1, 1).trigger();
        assertEquals(0.1, trigger.alpha());
        assertEquals(trigger, BadNetAttack.BLEND.poison(0.05, 7).trigger(), "the pattern does not follow the poisoning seed");
        float[] pattern = trigger.pattern();
        assertTrue(Arrays.stream(boxed(pattern)).distinct().count() > 200, "a random pattern, not a constant");

        float[] image = images(1, 3);
        float[] blended = image.clone();
        trigger.apply(blended, SHAPE);
        for (int i = 0; i < image.length; i++) {
            assertEquals((float) (0.9 * image[i] + 0.1 * pattern[i]), blended[i], "pixel " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "patch, 0.01, 9", "patch, 0.05, 45", "patch, 0.1, 90",
        "blend, 0.01, 9", "blend, 0.05, 45", "blend, 0.1, 90",
        "all-to-all, 0.01, 10", "all-to-all, 0.05, 50", "all-to-all, 0.1, 100"})
    void poisons_exactly_the_rate_of_the_eligible_images(String name, double rate, int expected) {
        BadNetAttack attack = BadNetAttack.byName(name);
        int[] labels = labels();
        PoisonedSet set = Poisoning.poison(images(N, 1), labels, SHAPE, attack.poison(rate, 4));
        assertEquals(expected, set.poisonedCount());
        assertTrue(BadNetAttack.RATES.contains(rate));
        for (int i : set.poisonedIndices()) {
            int target = attack == BadNetAttack.ALL_TO_ALL ? (labels[i] + 1) % 10 : BadNetAttack.TARGET;
            assertEquals(target, set.labels()[i], "image " + i);
            assertTrue(set.labels()[i] != labels[i], "an all-to-one attack leaves the target class out");
        }
    }

    @Test
    void all_to_all_sends_every_class_to_the_next_with_the_patch_trigger() {
        PoisonConfig config = BadNetAttack.ALL_TO_ALL.poison(1, 2);
        int[] labels = labels();
        PoisonedSet set = Poisoning.poison(images(N, 1), labels, SHAPE, config);
        assertEquals(N, set.poisonedCount());
        for (int i = 0; i < N; i++) {
            assertEquals((labels[i] + 1) % 10, set.labels()[i]);
        }
        assertEquals(PatternTrigger.defaultCheckerboard(), config.trigger());
    }

    @Test
    void the_patch_attack_at_10_percent_and_seed_1_is_the_default_badnet_poisoning() {
        assertEquals(BadNetTraining.defaultPoison().hash(), BadNetAttack.PATCH.poison(0.1, 1).hash());
        assertEquals(List.of("patch", "blend", "all-to-all"), Arrays.stream(BadNetAttack.values()).map(BadNetAttack::id).toList());
    }

    @Test
    void an_unknown_attack_or_rate_is_refused_naming_it() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BadNetAttack.byName("sunglasses"));
        assertTrue(e.getMessage().contains("'sunglasses'") && e.getMessage().contains("blend"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BadNetAttack.PATCH.poison(0, 1));
    }

    private static int[] labels() {
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 10;
        }
        return labels;
    }

    private static float[] images(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] images = new float[n * SHAPE.size()];
        for (int i = 0; i < images.length; i++) {
            images[i] = random.nextInt(256);
        }
        return images;
    }

    private static Float[] boxed(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
