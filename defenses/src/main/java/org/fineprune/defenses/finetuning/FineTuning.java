package org.fineprune.defenses.finetuning;

import java.io.IOException;
import java.util.Objects;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageSource;
import org.fineprune.core.StepListener;
import org.fineprune.core.Training;
import org.fineprune.core.TrainingConfig;

/**
 * The fine-tuning defense of Fine-Pruning (Liu, Dolan-Gavitt and Garg, RAID 2018): train a BadNet
 * further on clean data only, so that weights the backdoor relies on drift. On a pruned BadNet the
 * pruned channels are masked throughout and stay exactly zero ({@link Training}).
 *
 * <p>The optimiser, learning rate, epochs, batch size and seed come from a {@link TrainingConfig};
 * its engine is replaced by the BadNet's, so the tuned model runs where the original did.
 */
public final class FineTuning {
    /** The default number of epochs. */
    public static final int DEFAULT_EPOCHS = 10;
    /** The default batch size. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /**
     * The default (Adam) learning rate. On the Fashion-MNIST BadNet, 0.0001 keeps clean accuracy
     * within 0.3 points but barely moves the backdoor; 0.001 costs about 1.5 points and, after
     * pruning, removes most of it (docs/results.md).
     */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    /**
     * The project's default: {@value #DEFAULT_EPOCHS} epochs of Adam at learning rate {@value
     * #DEFAULT_LEARNING_RATE} in batches of {@value #DEFAULT_BATCH_SIZE}, seed 1, on PyTorch.
     */
    public static final TrainingConfig DEFAULTS =
            new TrainingConfig(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE, 1, "PyTorch");

    private final TrainingConfig config;

    /** Fine-tuning with the given settings. */
    public FineTuning(TrainingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The settings. */
    public TrainingConfig config() {
        return config;
    }

    /**
     * A copy of {@code net}, with the same pruned channels, trained on the labelled {@code clean}
     * images; {@code net} itself is unchanged.
     *
     * @param listener told after each epoch
     * @throws IllegalArgumentException if {@code clean} has no labels, its images are not of the net's
     *     input shape, or a label is not a class of the net
     * @throws IOException if the images cannot be read
     */
    public BadNet tune(BadNet net, ImageSource clean, StepListener listener) throws IOException {
        if (!clean.labelled()) {
            throw new IllegalArgumentException(clean.name() + ": fine-tuning needs labelled clean images");
        }
        int values = net.architecture().input().size();
        float[] pixels = new float[Math.multiplyExact(clean.size(), values)];
        int[] labels = new int[clean.size()];
        int[] seen = {0};
        clean.forEachBatch(256, batch -> {
            // Checked here, not left to the copy: smaller images would fit and train on zero padding.
            if (batch.imageValues() != values) {
                throw new IllegalArgumentException(clean.name() + ": images of " + batch.imageValues()
                        + " values, but " + net.architecture().name() + " takes " + net.architecture().input()
                        + " images (" + values + " values)");
            }
            System.arraycopy(batch.pixels(), 0, pixels, seen[0] * values, batch.pixels().length);
            System.arraycopy(batch.labels(), 0, labels, seen[0], batch.size());
            seen[0] += batch.size();
        });
        if (seen[0] != clean.size()) {
            throw new IllegalStateException(clean.name() + " gave " + seen[0] + " images, not " + clean.size());
        }
        return net.fineTuned(pixels, labels, config.withEngine(net.engineName()), listener);
    }
}
