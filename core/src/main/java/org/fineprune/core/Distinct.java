package org.fineprune.core;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Refuses lists of settings that name a value twice (thresholds, sweep axes). */
public final class Distinct {
    private Distinct() {}

    /**
     * Checks that {@code values} holds no value twice.
     *
     * @param what what the values are, for the message ({@code "the drops axis"})
     * @throws IllegalArgumentException naming the first repeated value
     */
    public static void require(String what, List<?> values) {
        Set<Object> seen = new HashSet<>();
        for (Object value : values) {
            if (!seen.add(value)) {
                throw new IllegalArgumentException(what + ": " + value + " is given twice in " + values);
            }
        }
    }
}
