package org.fineprune.report;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.fineprune.experiments.SubjectAxes;

/** Reads and shortens point keys, {@code axis=value} pairs sorted by axis and joined with commas. */
final class PointKeys {
    /** The axes every key has besides the swept parameters. */
    static final String DEFENSE = "defense";
    static final String ENGINE = "engine";
    static final String SEED = "seed";

    private PointKeys() {}

    /** The pairs of {@code key}, by axis. */
    static SortedMap<String, String> pairs(String key) {
        SortedMap<String, String> pairs = new TreeMap<>();
        for (String pair : key.split(",")) {
            int eq = pair.indexOf('=');
            pairs.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return pairs;
    }

    /** The swept parameters of {@code key} and their values: its pairs less defense, engine and seed. */
    static SortedMap<String, String> swept(String key) {
        SortedMap<String, String> pairs = pairs(key);
        pairs.keySet().removeAll(List.of(DEFENSE, ENGINE, SEED));
        return pairs;
    }

    /** The pairs of {@code key}'s subject axes ({@link SubjectAxes}): which BadNet the point defends. */
    static SortedMap<String, String> subject(String key) {
        SortedMap<String, String> pairs = pairs(key);
        pairs.keySet().retainAll(SubjectAxes.NAMES);
        return pairs;
    }

    /** {@code key} without the pairs of {@code axes}. */
    static String without(String key, String... axes) {
        SortedMap<String, String> pairs = pairs(key);
        pairs.keySet().removeAll(List.of(axes));
        return join(pairs);
    }

    /** Pairs as a key. */
    static String join(Map<String, String> pairs) {
        return pairs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
