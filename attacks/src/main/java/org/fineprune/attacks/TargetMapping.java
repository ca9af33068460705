package org.fineprune.attacks;

/**
 * Which label a poisoned image gets, the attacker's target. BadNets (Gu, Dolan-Gavitt and Garg,
 * 2017) studies both {@link AllToOne} (every triggered image becomes one class) and {@link
 * AllToAll} (each class {@code y} becomes {@code (y + 1) mod N}).
 */
public sealed interface TargetMapping permits TargetMapping.AllToOne, TargetMapping.AllToAll {
    /**
     * The label a triggered image of true label {@code label} is given.
     *
     * @throws IllegalArgumentException if {@code label} is not a valid label for this mapping
     */
    int target(int label);

    /** A stable text naming the mapping, for {@link PoisonConfig#hash}. */
    String describe();

    /** Every triggered image goes to class {@code target}. */
    static AllToOne allToOne(int target) {
        return new AllToOne(target);
    }

    /** Each class {@code y} of {@code classes} goes to {@code (y + 1) mod classes}. */
    static AllToAll allToAll(int classes) {
        return new AllToAll(classes);
    }

    /**
     * Every triggered image goes to one class.
     *
     * @param target the attacker's class, not negative
     */
    record AllToOne(int target) implements TargetMapping {
        /** Validates that {@code target} is not negative. */
        public AllToOne {
            if (target < 0) {
                throw new IllegalArgumentException("target class must not be negative, got "
                        + target);
            }
        }

        /** {@link #target()}, whatever {@code label} is, as long as it is not negative. */
        @Override
        public int target(int label) {
            if (label < 0) {
                throw new IllegalArgumentException("label must not be negative, got " + label);
            }
            return target;
        }

        @Override
        public String describe() {
            return "all-to-one(" + target + ")";
        }
    }

    /**
     * Each class {@code y} goes to the next, {@code (y + 1) mod classes}.
     *
     * @param classes the number of classes, at least 2
     */
    record AllToAll(int classes) implements TargetMapping {
        /** Validates that there are at least two classes. */
        public AllToAll {
            if (classes < 2) {
                throw new IllegalArgumentException("all-to-all needs at least 2 classes, got "
                        + classes);
            }
        }

        /** {@code (label + 1) mod classes}. */
        @Override
        public int target(int label) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " is outside [0, " + classes
                        + ")");
            }
            return (label + 1) % classes;
        }

        @Override
        public String describe() {
            return "all-to-all(" + classes + ")";
        }
    }
}
