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
import org.junit.jupiter.params.provider.CsvSource;

class PoisoningTest {
    private static final ImageShape SHAPE = new ImageShape(1, 8, 8);
    private static final int N = 1000;
    private static final Trigger TRIGGER = PatternTrigger.defaultCheckerboard();

    /** Labels 0..9 in turn: 100 images per class. */
    private static int[] labels() {
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 10;
        }
        return labels;
    }

    private static PoisonedSet poison(double rate, long seed, boolean excludeTarget) {
        return Poisoning.poison(TestImages.ramp(SHAPE, N), labels(), SHAPE,
                new PoisonConfig(TRIGGER, TargetMapping.allToOne(0), rate, seed, excludeTarget));
    }

    private static float[] image(float[] images, int i) {
        return Arrays.copyOfRange(images, i * SHAPE.size(), (i + 1) * SHAPE.size());
    }

    @ParameterizedTest
    @CsvSource({
        "0.1, true, 90", // 900 eligible
        "0.1, false, 100",
        "0.25, true, 225",
        "1, true, 900",
        "1, false, 1000",
        "0.0015, false, 2", // round(1.5) rounds half up
        "0.0004, false, 0"})
    void poisons_exactly_round_rate_times_eligible(double rate, boolean exclude, int expected) {
        PoisonedSet set = poison(rate, 1, exclude);
        assertEquals(expected, set.poisonedCount());
        assertEquals(N, set.size());
        int[] indices = set.poisonedIndices();
        for (int k = 1; k < indices.length; k++) {
            assertTrue(indices[k - 1] < indices[k], "sorted and distinct");
        }
    }

    @Test
    void the_same_seed_chooses_the_same_images_and_another_seed_others() {
        assertEquals(poison(0.1, 5, true), poison(0.1, 5, true));
        assertArrayEquals(poison(0.1, 5, true).poisonedIndices(),
                poison(0.1, 5, true).poisonedIndices());
        assertFalse(Arrays.equals(poison(0.1, 5, true).poisonedIndices(),
                poison(0.1, 6, true).poisonedIndices()));
    }

    @Test
    void the_inputs_are_left_as_they_were() {
        float[] images = TestImages.ramp(SHAPE, N);
        int[] labels = labels();
        PoisonConfig config = new PoisonConfig(TRIGGER, TargetMapping.allToOne(0), 0.5, 1, true);

        Poisoning.poison(images, labels, SHAPE, config);
        Poisoning.triggerAll(images, SHAPE, TRIGGER);

        assertArrayEquals(TestImages.ramp(SHAPE, N), images);
        assertArrayEquals(labels(), labels);
    }

    @Test
    void all_to_one_with_exclusion_poisons_only_other_classes_into_the_target() {
        float[] originals = TestImages.ramp(SHAPE, N);
        int[] labels = labels();
        PoisonedSet set = poison(0.3, 9, true);
        float[] images = set.images();
        int[] poisonedLabels = set.labels();

        for (int i = 0; i < N; i++) {
            float[] expected = image(originals, i);
            if (set.isPoisoned(i)) {
                assertNotEquals(0, labels[i], "image " + i + " was of the target class");
                assertEquals(0, poisonedLabels[i]);
                TRIGGER.apply(expected, SHAPE);
            } else {
                assertEquals(labels[i], poisonedLabels[i]);
            }
            assertArrayEquals(expected, image(images, i), "image " + i);
        }
    }

    @Test
    void all_to_one_without_exclusion_may_choose_the_target_class() {
        PoisonedSet set = poison(0.5, 3, false);
        int[] labels = labels();
        long ofTarget = Arrays.stream(set.poisonedIndices()).filter(i -> labels[i] == 0).count();
        assertTrue(ofTarget > 0, "some of the 500 chosen images are of class 0");
    }

    @Test
    void all_to_all_sends_each_poisoned_label_to_the_next() {
        int[] labels = labels();
        PoisonedSet set = Poisoning.poison(TestImages.ramp(SHAPE, N), labels, SHAPE,
                new PoisonConfig(TRIGGER, TargetMapping.allToAll(10), 0.2, 4, false));

        assertEquals(200, set.poisonedCount());
        int[] poisoned = set.labels();
        for (int i = 0; i < N; i++) {
            int expected = set.isPoisoned(i) ? (labels[i] + 1) % 10 : labels[i];
            assertEquals(expected, poisoned[i], "label of image " + i);
        }
    }

    @Test
    void poisons_three_channel_faces_with_a_blended_trigger() {
        ImageShape face = ImageShape.DEEPID;
        float[] images = TestImages.ramp(face, 20);
        int[] labels = new int[20];
        Arrays.setAll(labels, i -> i);
        BlendTrigger blend = BlendTrigger.random(face, 0.2, 11);

        PoisonedSet set = Poisoning.poison(images, labels, face,
                new PoisonConfig(blend, TargetMapping.allToOne(0), 0.5, 2, true));

        assertEquals(10, set.poisonedCount());
        int first = set.poisonedIndices()[0];
        float[] expected = Arrays.copyOfRange(images, first * face.size(), (first + 1) * face.size());
        blend.apply(expected, face);
        assertArrayEquals(expected, Arrays.copyOfRange(set.images(), first * face.size(),
                (first + 1) * face.size()));
    }

    @Test
    void mismatched_images_and_labels_are_refused() {
        PoisonConfig config = new PoisonConfig(TRIGGER, TargetMapping.allToOne(0), 0.1, 1, true);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> Poisoning.poison(TestImages.ramp(SHAPE, 3), new int[4], SHAPE, config));
        assertTrue(count.getMessage().contains("3 images") && count.getMessage().contains("4"),
                count.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Poisoning.poison(new float[SHAPE.size() + 1], new int[1], SHAPE, config));
    }

    @Test
    void an_invalid_label_is_refused_naming_its_index() {
        int[] labels = {0, 1, 10};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Poisoning.poison(TestImages.ramp(SHAPE, 3), labels, SHAPE,
                        new PoisonConfig(TRIGGER, TargetMapping.allToAll(10), 0.5, 1, false)));
        assertTrue(e.getMessage().contains("index 2") && e.getMessage().contains("10"),
                e.getMessage());
    }

    @Test
    void trigger_all_triggers_every_image() {
        float[] images = TestImages.ramp(SHAPE, 5);
        float[] triggered = Poisoning.triggerAll(images, SHAPE, TRIGGER);
        for (int i = 0; i < 5; i++) {
            float[] expected = image(images, i);
            TRIGGER.apply(expected, SHAPE);
            assertArrayEquals(expected, image(triggered, i));
        }
    }

    @Test
    void the_attack_test_set_holds_triggered_copies_of_the_other_classes() {
        int[] labels = {0, 3, 0, 7, 1};
        assertArrayEquals(new int[] {1, 3, 4}, Poisoning.indicesNotOfClass(labels, 0));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, Poisoning.indicesNotOfClass(labels, 9));

        float[] images = TestImages.ramp(SHAPE, 5);
        float[] selected = Poisoning.select(images, SHAPE, new int[] {4, 1});
        assertArrayEquals(image(images, 4), image(selected, 0));
        assertArrayEquals(image(images, 1), image(selected, 1));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Poisoning.select(images, SHAPE, new int[] {5}));
    }

    @Test
    void a_poisoned_set_validates_and_copies_its_arrays() {
        assertThrows(IllegalArgumentException.class,
                () -> new PoisonedSet(new float[4], new int[2], new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> new PoisonedSet(new float[4], new int[2], new int[] {2}));
        assertThrows(IllegalArgumentException.class,
                () -> new PoisonedSet(new float[5], new int[2], new int[0]));
        int[] labels = {1, 2};
        PoisonedSet set = new PoisonedSet(new float[4], labels, new int[] {1});
        labels[0] = 9;
        set.labels()[1] = 9;
        assertArrayEquals(new int[] {1, 2}, set.labels());
        assertEquals("PoisonedSet[2 images, 1 poisoned]", set.toString());
        assertFalse(set.isPoisoned(0));
        assertTrue(set.isPoisoned(1));
    }
}
