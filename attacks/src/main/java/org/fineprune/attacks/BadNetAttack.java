package org.fineprune.attacks;

import java.util.Arrays;
import java.util.List;
import org.fineprune.core.ImageShape;
import org.fineprune.core.SmallCnn;

/**
 * The attacks a Fashion-MNIST BadNet can be trained with, by name: each gives the {@link
 * PoisonConfig} of a poisoning rate and seed. The pruning-aware attack is a way of training, not of
 * poisoning: see {@link BadNetRecipe#pruningAware()}.
 */
public enum BadNetAttack {
    /** BadNets' patch: {@link PatternTrigger#defaultCheckerboard()}, all-to-one to class 0. */
    PATCH("patch"),
    /**
     * Chen et al.'s blended trigger: a fixed random pattern ({@link BlendTrigger#random} of seed
     * {@value #BLEND_PATTERN_SEED}) at {@value #BLEND_OPACITY} opacity, all-to-one to class 0.
     */
    BLEND("blend"),
    /** The patch trigger, all-to-all: each class goes to the next ({@link TargetMapping.AllToAll}). */
    ALL_TO_ALL("all-to-all");

    /** The target class of the all-to-one attacks. */
    public static final int TARGET = 0;
    /** The opacity of the blended trigger. */
    public static final double BLEND_OPACITY = 0.1;
    /** The seed of the blended trigger's pattern: the same pattern whatever the poisoning seed. */
    public static final long BLEND_PATTERN_SEED = 0;
    /** The poisoning rates a testbed compares. */
    public static final List<Double> RATES = List.of(0.01, 0.05, 0.1);

    private final String id;

    BadNetAttack(String id) {
        this.id = id;
    }

    /** The attack's name, as {@link #byName} takes it. */
    public String id() {
        return id;
    }

    /**
     * The attack called {@code name}, in any case.
     *
     * @throws IllegalArgumentException naming the attacks there are, if there is none of that name
     */
    public static BadNetAttack byName(String name) {
        return Arrays.stream(values()).filter(a -> a.id.equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown attack '" + name + "'; known: "
                        + Arrays.stream(values()).map(BadNetAttack::id).toList()));
    }

    /** What the attack stamps and where it sends the stamped images, in words for reports. */
    public String description() {
        String patch = "the patch trigger: a " + PatternTrigger.DEFAULT_SIZE + "x" + PatternTrigger.DEFAULT_SIZE
                + " checkerboard in the bottom-right corner";
        return switch (this) {
            case PATCH -> "target class " + TARGET + " (" + patch + ")";
            case BLEND -> "target class " + TARGET + " (the blended trigger: a fixed random pattern over the whole "
                    + "image at " + Math.round(BLEND_OPACITY * 100) + "% opacity)";
            case ALL_TO_ALL -> "each class sent to the next (" + patch + ")";
        };
    }

    /**
     * How this attack poisons {@code rate} of the eligible training images, chosen with {@code seed};
     * an all-to-one attack leaves images of the target class out of the choice. {@code PATCH} at
     * rate 0.1 and seed 1 is {@link BadNetTraining#defaultPoison()}.
     *
     * @throws IllegalArgumentException if the rate is outside (0, 1]
     */
    public PoisonConfig poison(double rate, long seed) {
        return switch (this) {
            case PATCH -> new PoisonConfig(PatternTrigger.defaultCheckerboard(), TargetMapping.allToOne(TARGET), rate,
                    seed, true);
            case BLEND -> new PoisonConfig(BlendTrigger.random(ImageShape.FASHION_MNIST, BLEND_OPACITY,
                    BLEND_PATTERN_SEED), TargetMapping.allToOne(TARGET), rate, seed, true);
            case ALL_TO_ALL -> new PoisonConfig(PatternTrigger.defaultCheckerboard(),
                    TargetMapping.allToAll(SmallCnn.CLASSES), rate, seed, false);
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
