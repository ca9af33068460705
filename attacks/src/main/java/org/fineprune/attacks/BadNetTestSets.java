package org.fineprune.attacks;

import java.util.Objects;
import org.fineprune.core.ArrayImages;

/**
 * The images that score a Fashion-MNIST BadNet and a defense of it ({@link BadNetRecipe#testSets}).
 *
 * @param validation the defender's clean images, held out of the attacker's training set
 * @param clean the clean test images with their classes: clean accuracy
 * @param poisoned triggered test images whose label the attack changes, labelled with the target:
 *     attack success rate
 * @param triggered the same images with their true classes: robust accuracy
 */
public record BadNetTestSets(ArrayImages validation, ArrayImages clean, ArrayImages poisoned, ArrayImages triggered) {
    /** Checks that every set is given. */
    public BadNetTestSets {
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(clean, "clean");
        Objects.requireNonNull(poisoned, "poisoned");
        Objects.requireNonNull(triggered, "triggered");
    }
}
