package org.fineprune.reproducibility;

/**
 * One place where a replayed record differs from the recorded one.
 *
 * <p>{@code toString} reads {@code metrics.repaired.clean_accuracy: recorded 98.21, replayed 97.5},
 * values written as JSON (strings in quotes) and a value one side lacks as {@code missing}.
 *
 * @param path where the records differ: keys joined by dots, list elements as {@code order[3]}, and
 *     {@code order[3:]} for the elements from index 3 on that only one list has (its values are
 *     those tails, one of them empty)
 * @param expected the recorded value, or {@link Missing#VALUE}
 * @param actual the replayed value, or {@link Missing#VALUE}
 */
public record Difference(String path, Object expected, Object actual) {
    /** Stands for the value of a key that one of the records does not have. */
    public enum Missing {
        /** The one value. */
        VALUE;

        @Override
        public String toString() {
            return "missing";
        }
    }

    /** Checks that the path names a place. */
    public Difference {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("a difference needs a path, got '" + path + "'");
        }
    }

    @Override
    public String toString() {
        return path + ": recorded " + show(expected) + ", replayed " + show(actual);
    }

    private static String show(Object value) {
        return value == Missing.VALUE ? value.toString() : CanonicalJson.write(value);
    }
}
