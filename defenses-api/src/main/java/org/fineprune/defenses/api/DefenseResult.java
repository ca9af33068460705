package org.fineprune.defenses.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fineprune.core.BadNet;
import org.fineprune.core.Classifier;
import org.fineprune.core.LayerChannel;

/**
 * What a defense returns: a repaired model B', an input detector, or both, and the defense's own
 * diagnostics. Closing it closes the repaired model.
 *
 * @param repaired the repaired model, or {@code null}
 * @param detector a classifier that answers the BadNet's class for an input it accepts and class N
 *     (the BadNet's class count, as the {@link org.fineprune.core.GoodNet}) for one it flags, or {@code null}
 * @param diagnostics what the defense found, by name, sorted: numbers, strings, booleans, and lists
 *     and maps of them (pruned channels, curves, anomaly scores...)
 * @param pruningOrder for a pruning defense, every channel of the BadNet it ranked, in the order it
 *     prunes them (a sweep plots the attack success rate along it); empty for other defenses
 */
public record DefenseResult(BadNet repaired, Classifier detector, Map<String, Object> diagnostics,
        List<LayerChannel> pruningOrder) implements AutoCloseable {
    /** Checks that there is a model or a detector, and copies the diagnostics and the order. */
    public DefenseResult {
        if (repaired == null && detector == null) {
            throw new IllegalArgumentException("a defense result needs a repaired model, a detector or both");
        }
        diagnostics = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(diagnostics));
        pruningOrder = List.copyOf(pruningOrder);
    }

    /** A result with no pruning order. */
    public DefenseResult(BadNet repaired, Classifier detector, Map<String, Object> diagnostics) {
        this(repaired, detector, diagnostics, List.of());
    }

    /** The repaired model, if the defense made one. */
    public Optional<BadNet> repairedModel() {
        return Optional.ofNullable(repaired);
    }

    /** The input detector, if the defense made one. */
    public Optional<Classifier> inputDetector() {
        return Optional.ofNullable(detector);
    }

    @Override
    public void close() {
        if (repaired != null) {
            repaired.close();
        }
    }
}
