package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ImageSource;
import org.fineprune.core.ImageSubset;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.junit.jupiter.api.Test;

/**
 * The protocols on generated images: the strict split (seeded, disjoint, sizes exact), BackdoorBench's
 * share of the training images and its relative drop, and a fine-tuning point whose reported
 * validation accuracy is measured, under strict, on images it was not tuned on.
 */
class ProtocolTest {
    private static ArrayImages images(String name, int count, long seed) {
        int[] labels = new SplittableRandom(seed).ints(count, 0, SmallCnn.CLASSES).toArray();
        return new ArrayImages(name, ImageShape.FASHION_MNIST, BlobImages.generate(count, seed), labels);
    }

    private static int[] positions(ImageSource part) {
        return ((ImageSubset) part).indices();
    }

    @Test
    void strict_splits_the_clean_images_seeded_disjoint_and_of_the_exact_sizes() {
        ArrayImages clean = images("generated-clean", 48, 1);
        DefenderData data = Protocol.strict(0.25).defender(new DefenderData(clean), 7);
        assertTrue(data.heldOut());
        assertEquals(12, data.selection().size());
        assertEquals(36, data.clean().size());
        Set<Integer> all = new HashSet<>();
        Arrays.stream(positions(data.clean())).forEach(all::add);
        Arrays.stream(positions(data.selection())).forEach(all::add);
        assertEquals(48, all.size(), "disjoint and complete");
        DefenderData again = Protocol.strict(0.25).defender(new DefenderData(clean), 7);
        assertEquals(Arrays.toString(positions(data.selection())), Arrays.toString(positions(again.selection())));
        DefenderData otherSeed = Protocol.strict(0.25).defender(new DefenderData(clean), 8);
        assertNotEquals(Arrays.toString(positions(data.selection())), Arrays.toString(positions(otherSeed.selection())));
        assertEquals("generated-clean selection (12 of 48, seed 7)", data.selection().name());
        assertEquals(10, Protocol.named("strict").defender(new DefenderData(clean), 7).selection().size(),
                "20% of 48, rounded");
    }

    @Test
    void lab_keeps_the_one_clean_set_for_every_role() {
        DefenderData data = new DefenderData(images("generated-clean", 20, 1));
        assertSame(data, Protocol.lab().defender(data, 3));
        assertFalse(data.heldOut());
    }

    @Test
    void backdoorbench_takes_five_percent_of_the_training_images_for_both_roles() {
        ArrayImages clean = images("generated-clean", 20, 1);
        ArrayImages training = images("generated-training", 160, 2);
        DefenderData data = Protocol.named("backdoorbench").defender(new DefenderData(clean, training), 4);
        assertEquals(9, data.clean().size(), "5% of 160 + 20 = 180 images");
        assertSame(data.clean(), data.selection());
        assertSame(training, data.training());
        assertEquals(Map.of("drop", 10.0, "drop-unit", "relative", "rule", "last-under"), Protocol.named("backdoorbench").defaults());
        IllegalArgumentException noTraining = assertThrows(IllegalArgumentException.class,
                () -> Protocol.named("backdoorbench").defender(new DefenderData(clean), 4));
        assertTrue(noTraining.getMessage().contains("no training set"), noTraining.getMessage());
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> Protocol.named("backdoorbench").defender(new DefenderData(clean, images("big", 2000, 3)), 4));
        assertEquals("protocol backdoorbench: 5% of 2020 training images is 101, but generated-clean holds 20 clean"
                + " images", tooFew.getMessage());
    }

    @Test
    void bad_protocols_and_shares_are_refused_naming_the_value() {
        assertEquals("unknown protocol 'strikt'; protocols: lab, strict, backdoorbench",
                assertThrows(IllegalArgumentException.class, () -> Protocol.named("strikt")).getMessage());
        assertEquals("selection share must be in (0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> Protocol.strict(1)).getMessage());
        assertEquals("a selection share is a setting of the strict protocol, and the protocols are [lab]",
                assertThrows(IllegalArgumentException.class, () -> Protocol.of(List.of(), 0.3)).getMessage());
        assertEquals(List.of(Protocol.strict(0.3), Protocol.named("backdoorbench")),
                Protocol.of(List.of("strict", "backdoorbench"), 0.3));
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> Protocol.strict(0.01).defender(new DefenderData(images("few", 20, 1)), 1));
        assertTrue(tooFew.getMessage().startsWith("protocol strict: a selection share of 0.01 of the 20 clean images"),
                tooFew.getMessage());
    }

    @Test
    void under_strict_fine_tunings_reported_validation_accuracy_is_on_images_it_was_not_tuned_on() throws IOException {
        // Randomly labelled images: fine-tuning learns the ones it sees by heart and cannot tell the others.
        ArrayImages clean = images("generated-random-labels", 80, 5);
        ArrayImages test = images("generated-test", 16, 6);
        Defense tuning = Defenses.find("fine-tuning");
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(2),
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"))) {
            Bench lab = new Bench(net, Map.of(), new DefenderData(clean), test, test, null);
            Bench strict = lab.withDefender(Protocol.strict(0.25).defender(lab.defender(), 1));
            var settings = tuning.settings(Map.of("epochs", 40, "learning-rate", 0.003, "batch-size", 16));
            try (DefenseResult result = tuning.apply(net, strict.defender(), settings, 1)) {
                double reported = new Scorer(strict, 16).score(result).metrics().repaired().validAccuracy();
                double tunedOn = Evaluation.accuracy(result.repaired(), strict.defender().clean(), 16).percent();
                double heldOut = Evaluation.accuracy(result.repaired(), strict.defender().selection(), 16).percent();
                double labReported = new Scorer(lab, 16).score(result).metrics().repaired().validAccuracy();
                System.out.printf("fine-tuned on random labels: %.1f%% on its own images, %.1f%% held out, "
                        + "%.1f%% on all (lab)%n", tunedOn, heldOut, labReported);
                assertEquals(heldOut, reported, "reported on the held-out images");
                assertTrue(tunedOn > heldOut + 40, tunedOn + "% on its own images, " + heldOut + "% held out");
            }
        }
    }
}
