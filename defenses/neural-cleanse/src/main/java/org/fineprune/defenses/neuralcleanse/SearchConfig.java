package org.fineprune.defenses.neuralcleanse;

/**
 * The settings of the trigger search of {@link TriggerSearch}, with the reference code's values
 * (bolunwang/backdoor, {@code visualizer.py} and its GTSRB example) as noted.
 *
 * @param epochs passes over the search images per class (reference: 1000 "steps")
 * @param batchSize images per optimiser step (reference: 32)
 * @param learningRate Adam's learning rate on the tanh-space mask and pattern (reference: 0.1, with
 *     beta1 0.5 and beta2 0.9)
 * @param initCost the weight of the mask's L1 norm once an attack succeeds (reference: 1e-3)
 * @param patience epochs of success (or failure) before the cost is raised (or lowered) (reference: 5)
 * @param attackSuccess the share of stamped images that must reach the target for a mask to count
 *     (reference: 0.99)
 */
public record SearchConfig(int epochs, int batchSize, double learningRate, double initCost, int patience,
        double attackSuccess) {
    /** The cost multiplier when raising the cost; lowering divides by its 1.5th power (reference). */
    public static final double COST_MULTIPLIER = 1.5;
    /** A best mask norm not below this share of the earlier best counts as no progress (reference). */
    public static final double EARLY_STOP_THRESHOLD = 0.99;

    /** Checks every value. */
    public SearchConfig {
        if (epochs < 1 || batchSize < 1 || patience < 1) {
            throw new IllegalArgumentException("epochs, batch size and patience must be positive, got " + epochs + ", "
                    + batchSize + " and " + patience);
        }
        if (!(learningRate > 0) || !(initCost > 0)) {
            throw new IllegalArgumentException("learning rate and initial cost must be positive, got " + learningRate
                    + " and " + initCost);
        }
        if (!(attackSuccess > 0 && attackSuccess <= 1)) {
            throw new IllegalArgumentException("attack success threshold must be in (0, 1], got " + attackSuccess);
        }
    }

    /** Epochs without a smaller mask before the search stops, once the cost has gone up and down (reference: 2 x patience). */
    public int earlyStopPatience() {
        return 2 * patience;
    }
}
