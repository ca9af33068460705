package org.fineprune.attacks;

import java.util.Objects;

/**
 * How to poison a training set: which trigger, which labels, how large a share of the eligible
 * images, and the seed of the choice. {@link #hash()} identifies the configuration, for caching
 * what is trained on the result.
 *
 * @param trigger the trigger stamped on each chosen image
 * @param mapping the label each chosen image is given
 * @param rate the share of eligible images to poison, {@code 0 < rate <= 1}
 * @param seed seed of the {@link java.util.SplittableRandom} that chooses the images
 * @param excludeTarget for an {@link TargetMapping.AllToOne} mapping, never choose images already
 *     of the target class (they would not change label, and the rate counts only the others)
 */
public record PoisonConfig(Trigger trigger, TargetMapping mapping, double rate, long seed,
        boolean excludeTarget) {
    /** Version of {@link #canonical()}'s format; a change of poisoning semantics bumps it. */
    private static final String FORMAT = "fineprune-poison/1";

    /**
     * Validates the rate and that {@code excludeTarget} is only asked of an all-to-one mapping.
     */
    public PoisonConfig {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(mapping, "mapping");
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("poisoning rate must be in (0, 1], got " + rate);
        }
        if (excludeTarget && !(mapping instanceof TargetMapping.AllToOne)) {
            // Refused rather than ignored, so that one behaviour has one description and hash.
            throw new IllegalArgumentException("excludeTarget needs an all-to-one mapping, got "
                    + mapping.describe() + ", which changes every label");
        }
    }

    /**
     * The text {@link #hash()} digests: format version, trigger description, mapping, rate, seed
     * and {@code excludeTarget}, such as {@code fineprune-poison/1; trigger=pattern(...);
     * mapping=all-to-one(0); rate=0.1; seed=42; excludeTarget=true}.
     */
    public String canonical() {
        return FORMAT + "; trigger=" + trigger.describe() + "; mapping=" + mapping.describe()
                + "; rate=" + rate + "; seed=" + seed + "; excludeTarget=" + excludeTarget;
    }

    /** SHA-256 of {@link #canonical()} (UTF-8), 64 lower-case hex digits. */
    public String hash() {
        return Digests.sha256(canonical());
    }
}
