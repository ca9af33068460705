package org.fineprune.defenses.api;

import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import org.fineprune.core.BadNet;
import org.fineprune.core.Classifier;

/**
 * What a defense returns: a repaired model B', an input detector, or both, and the defense's own
 * diagnostics. Closing it closes the repaired model.
 *
 * @param repaired the repaired model, or {@code null}
 * @param detector a classifier that answers the BadNet's class for an input it accepts and class N
 *     (the BadNet's class count, as the {@link org.fineprune.core.GoodNet}) for one it flags, or {@code null}
 * @param diagnostics what the defense found, by name, sorted: numbers, strings, booleans, and lists
 *     and maps of them (pruned channels, curves, anomaly scores...)
 */
public record DefenseResult(BadNet repaired, Classifier detector, Map<String, Object> diagnostics)
        implements AutoCloseable {
    /** Checks that there is a model or a detector, and copies the diagnostics. */
    public DefenseResult {
        if (repaired == null && detector == null) {
            throw new IllegalArgumentException("a defense result needs a repaired model, a detector or both");
        }
        diagnostics = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(diagnostics));
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
