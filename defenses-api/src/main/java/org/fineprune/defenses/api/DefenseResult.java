package org.fineprune.defenses.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.fineprune.core.BadNet;
import org.fineprune.core.Classifier;
import org.fineprune.core.LayerChannel;

/**
 * What a defense returns: a repaired model B', an input detector, or both, or, for a detector of
 * poisoned training samples, its flags on the training set; and the defense's own diagnostics.
 * Closing it closes the repaired model.
 *
 * @param repaired the repaired model, or {@code null}
 * @param detector a classifier that answers the BadNet's class for an input it accepts and class N
 *     (the BadNet's class count, as the {@link org.fineprune.core.GoodNet}) for one it flags, or {@code null}
 * @param diagnostics what the defense found, by name, sorted: numbers, strings, booleans, and lists
 *     and maps of them (pruned channels, curves, anomaly scores...)
 * @param pruningOrder for a pruning defense, every channel of the BadNet it ranked, in the order it
 *     prunes them (a sweep plots the attack success rate along it); empty for other defenses
 * @param sampleFlags for a defense that inspects the training set ({@link DefenderData#training}), its
 *     flags and scores on each training sample; {@code null} for other defenses
 */
public record DefenseResult(BadNet repaired, Classifier detector, Map<String, Object> diagnostics,
        List<LayerChannel> pruningOrder, SampleFlags sampleFlags) implements AutoCloseable {
    /** Checks that there is a model, a detector or sample flags, and copies the diagnostics and the order. */
    public DefenseResult {
        if (repaired == null && detector == null && sampleFlags == null) {
            throw new IllegalArgumentException("a defense result needs a repaired model, a detector or sample flags");
        }
        diagnostics = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(diagnostics));
        pruningOrder = List.copyOf(pruningOrder);
    }

    /** A result with no sample flags. */
    public DefenseResult(BadNet repaired, Classifier detector, Map<String, Object> diagnostics,
            List<LayerChannel> pruningOrder) {
        this(repaired, detector, diagnostics, pruningOrder, null);
    }

    /** A result with no pruning order and no sample flags. */
    public DefenseResult(BadNet repaired, Classifier detector, Map<String, Object> diagnostics) {
        this(repaired, detector, diagnostics, List.of());
    }

    /** The result of a training-set detector: its flags and its diagnostics, no model. */
    public static DefenseResult ofSampleFlags(SampleFlags flags, Map<String, Object> diagnostics) {
        return new DefenseResult(null, null, diagnostics, List.of(), Objects.requireNonNull(flags, "flags"));
    }

    /** The repaired model, if the defense made one. */
    public Optional<BadNet> repairedModel() {
        return Optional.ofNullable(repaired);
    }

    /** The input detector, if the defense made one. */
    public Optional<Classifier> inputDetector() {
        return Optional.ofNullable(detector);
    }

    /** The training-sample flags, if the defense inspected a training set. */
    public Optional<SampleFlags> trainingFlags() {
        return Optional.ofNullable(sampleFlags);
    }

    @Override
    public void close() {
        if (repaired != null) {
            repaired.close();
        }
    }
}
