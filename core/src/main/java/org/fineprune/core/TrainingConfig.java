package org.fineprune.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link Training} trains or fine-tunes a network: an optimiser on shuffled mini-batches at a
 * constant learning rate or on a cosine schedule, with optional weight decay, every random choice
 * derived from {@code seed}.
 *
 * @param epochs passes over the training set, at least 1
 * @param batchSize images per step, at least 1
 * @param learningRate the optimiser's learning rate, positive and finite
 * @param seed seed of the shuffles (and, for a fresh network, of its initial weights)
 * @param engine the DJL engine that trains, one of {@link Engines#SUPPORTED}
 * @param optimizer {@code adam}, or {@code sgd} (with momentum 0.9)
 * @param schedule {@code constant}, or {@code cosine}: epoch {@code e} (counted from 0) of {@code
 *     E} runs at {@code learningRate x (1 + cos(pi e / E)) / 2}, as PyTorch's {@code
 *     CosineAnnealingLR(T_max = E)} stepped once per epoch (BackdoorBench's fine-tuning)
 * @param weightDecay the L2 weight decay the optimiser adds to each gradient ({@code weightDecay x
 *     weight}, as PyTorch's {@code weight_decay}), at least 0
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, long seed, String engine,
        String optimizer, String schedule, double weightDecay) {
    /** The optimisers there are. */
    public static final List<String> OPTIMIZERS = List.of("adam", "sgd");
    /** The learning-rate schedules there are. */
    public static final List<String> SCHEDULES = List.of("constant", "cosine");

    /** Validates every value; the engine's name is matched ignoring case and stored as listed. */
    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got "
                    + learningRate);
        }
        Objects.requireNonNull(engine, "engine");
        String name = engine;
        engine = Engines.SUPPORTED.stream().filter(e -> e.equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown engine '" + name
                        + "'; supported: " + Engines.SUPPORTED));
        Objects.requireNonNull(optimizer, "optimizer");
        String given = optimizer;
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        if (!OPTIMIZERS.contains(optimizer)) {
            throw new IllegalArgumentException("unknown optimizer '" + given + "'; supported: " + OPTIMIZERS);
        }
        Objects.requireNonNull(schedule, "schedule");
        String asked = schedule;
        schedule = schedule.toLowerCase(Locale.ROOT);
        if (!SCHEDULES.contains(schedule)) {
            throw new IllegalArgumentException("unknown schedule '" + asked + "'; supported: " + SCHEDULES);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be at least 0 and finite, got " + weightDecay);
        }
    }

    /** The given optimiser at a constant learning rate, without weight decay. */
    public TrainingConfig(int epochs, int batchSize, double learningRate, long seed, String engine,
            String optimizer) {
        this(epochs, batchSize, learningRate, seed, engine, optimizer, "constant", 0);
    }

    /** Adam with the given settings. */
    public TrainingConfig(int epochs, int batchSize, double learningRate, long seed, String engine) {
        this(epochs, batchSize, learningRate, seed, engine, "adam");
    }

    /**
     * The project's default for training the Fashion-MNIST BadNet: 12 epochs of Adam on batches of
     * 128 at learning rate 0.001, seed 1, on PyTorch: about 8 s per epoch on two CPU cores, 90.6%
     * clean test accuracy and 99.9% attack success rate (this architecture levels off near 90% on
     * Fashion-MNIST, so fewer epochs fall just short of it).
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(12, 128, 1e-3, 1, "PyTorch");
    }

    /** A copy with another number of epochs. */
    public TrainingConfig withEpochs(int n) {
        return new TrainingConfig(n, batchSize, learningRate, seed, engine, optimizer, schedule, weightDecay);
    }

    /** A copy with another batch size. */
    public TrainingConfig withBatchSize(int n) {
        return new TrainingConfig(epochs, n, learningRate, seed, engine, optimizer, schedule, weightDecay);
    }

    /** A copy with another learning rate. */
    public TrainingConfig withLearningRate(double rate) {
        return new TrainingConfig(epochs, batchSize, rate, seed, engine, optimizer, schedule, weightDecay);
    }

    /** A copy with another seed. */
    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(epochs, batchSize, learningRate, s, engine, optimizer, schedule, weightDecay);
    }

    /** A copy with another engine. */
    public TrainingConfig withEngine(String name) {
        return new TrainingConfig(epochs, batchSize, learningRate, seed, name, optimizer, schedule, weightDecay);
    }

    /** A copy with another optimiser. */
    public TrainingConfig withOptimizer(String name) {
        return new TrainingConfig(epochs, batchSize, learningRate, seed, engine, name, schedule, weightDecay);
    }

    /** A copy with another learning-rate schedule, one of {@link #SCHEDULES}. */
    public TrainingConfig withSchedule(String name) {
        return new TrainingConfig(epochs, batchSize, learningRate, seed, engine, optimizer, name, weightDecay);
    }

    /** A copy with another weight decay. */
    public TrainingConfig withWeightDecay(double decay) {
        return new TrainingConfig(epochs, batchSize, learningRate, seed, engine, optimizer, schedule, decay);
    }

    /**
     * A stable description, part of a trained model's cache key, such as {@code
     * fineprune-training/1; epochs=3; batchSize=128; learningRate=0.001; seed=1; engine=PyTorch;
     * optimizer=adam}; a cosine schedule and a weight decay are appended only where they are set,
     * so that the keys of models trained before they existed still hold.
     */
    public String canonical() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "fineprune-training/1; epochs=%d;"
                + " batchSize=%d; learningRate=%s; seed=%d; engine=%s; optimizer=%s",
                epochs, batchSize, Double.toString(learningRate), seed, engine, optimizer));
        addedSettings().forEach((name, value) -> text.append("; ").append(name).append('=').append(value));
        return text.toString();
    }

    /**
     * The settings added after the first trained models, by name, only where they differ from what
     * those models had: {@code schedule} unless constant, {@code weightDecay} unless 0. Descriptions
     * of a training (the cache key, a BadNet's sidecar) list them so that older ones keep their bytes.
     */
    public Map<String, Object> addedSettings() {
        Map<String, Object> added = new LinkedHashMap<>();
        if (!schedule.equals("constant")) {
            added.put("schedule", schedule);
        }
        if (weightDecay != 0) {
            added.put("weightDecay", weightDecay);
        }
        return added;
    }
}
