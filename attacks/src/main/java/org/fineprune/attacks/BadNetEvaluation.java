package org.fineprune.attacks;

import java.util.Objects;
import org.fineprune.core.Accuracy;

/**
 * How well a BadNet does its two jobs: classifying clean test images, and sending triggered ones to
 * the attacker's label.
 *
 * @param clean correct predictions on the clean test images
 * @param attack triggered test images (those whose true label differs from their target) predicted
 *     as the target: the attack success rate
 */
public record BadNetEvaluation(Accuracy clean, Accuracy attack) {
    /** Checks that both are given. */
    public BadNetEvaluation {
        Objects.requireNonNull(clean, "clean");
        Objects.requireNonNull(attack, "attack");
    }

    /** Clean test accuracy as a fraction in [0, 1]. */
    public double cleanAccuracy() {
        return clean.percent() / 100;
    }

    /** Attack success rate as a fraction in [0, 1]. */
    public double attackSuccessRate() {
        return attack.percent() / 100;
    }

    @Override
    public String toString() {
        return "clean accuracy " + clean + ", attack success rate " + attack;
    }
}
