package org.fineprune.reproducibility;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a recorded {@link RunRecord} with the record of its replay, field by field.
 *
 * <p>Maps are compared key by key (a key only one side has is a difference), lists element by
 * element (a length difference is one difference holding the extra elements), numbers within an
 * absolute tolerance and everything else exactly. Two integers are compared as integers, so that
 * large seeds are not rounded to doubles; an integer and a double with the same value are equal.
 */
public final class RecordComparison {
    /** The top-level keys left out by default: the only fields that may change from run to run. */
    public static final Set<String> IGNORED_BY_DEFAULT = Set.of("environment", "timings");

    private RecordComparison() {}

    /** The differences outside {@link #IGNORED_BY_DEFAULT}; see {@link #compare(RunRecord, RunRecord, double, Set)}. */
    public static List<Difference> compare(RunRecord expected, RunRecord actual, double tolerance) {
        return compare(expected, actual, tolerance, IGNORED_BY_DEFAULT);
    }

    /**
     * The differences between {@code expected} and {@code actual}, in key order, leaving out the
     * top-level keys in {@code ignoredTopLevelKeys}.
     *
     * @param tolerance the largest absolute difference between two numbers that still counts as
     *     equal; 0 asks for equal numbers
     * @throws IllegalArgumentException if the tolerance is negative or not finite
     */
    public static List<Difference> compare(RunRecord expected, RunRecord actual, double tolerance,
            Set<String> ignoredTopLevelKeys) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(ignoredTopLevelKeys, "ignoredTopLevelKeys");
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a finite number >= 0, got " + tolerance);
        }
        List<Difference> differences = new ArrayList<>();
        compareMaps("", expected.asMap(), actual.asMap(), ignoredTopLevelKeys, tolerance, differences);
        return List.copyOf(differences);
    }

    private static void compare(String path, Object expected, Object actual, double tolerance,
            List<Difference> differences) {
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            compareMaps(path, e, a, Set.of(), tolerance, differences);
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            compareLists(path, e, a, tolerance, differences);
        } else if (expected instanceof Number e && actual instanceof Number a) {
            if (!close(e, a, tolerance)) {
                differences.add(new Difference(path, expected, actual));
            }
        } else if (!Objects.equals(expected, actual)) {
            differences.add(new Difference(path, expected, actual));
        }
    }

    private static void compareMaps(String path, Map<?, ?> expected, Map<?, ?> actual, Set<String> ignored,
            double tolerance, List<Difference> differences) {
        Set<Object> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        keys.removeAll(ignored);
        for (Object key : keys) {
            String child = TreePaths.child(path, (String) key);
            if (!expected.containsKey(key)) {
                differences.add(new Difference(child, Difference.Missing.VALUE, actual.get(key)));
            } else if (!actual.containsKey(key)) {
                differences.add(new Difference(child, expected.get(key), Difference.Missing.VALUE));
            } else {
                compare(child, expected.get(key), actual.get(key), tolerance, differences);
            }
        }
    }

    private static void compareLists(String path, List<?> expected, List<?> actual, double tolerance,
            List<Difference> differences) {
        int common = Math.min(expected.size(), actual.size());
        for (int i = 0; i < common; i++) {
            compare(TreePaths.element(path, i), expected.get(i), actual.get(i), tolerance, differences);
        }
        if (expected.size() != actual.size()) {
            differences.add(new Difference(path + "[" + common + ":]", expected.subList(common, expected.size()),
                    actual.subList(common, actual.size())));
        }
    }

    private static boolean close(Number expected, Number actual, double tolerance) {
        if (isInteger(expected) && isInteger(actual)) {
            BigInteger distance = toBigInteger(expected).subtract(toBigInteger(actual)).abs();
            return new BigDecimal(distance).compareTo(BigDecimal.valueOf(tolerance)) <= 0;
        }
        return Math.abs(expected.doubleValue() - actual.doubleValue()) <= tolerance;
    }

    private static boolean isInteger(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof BigInteger;
    }

    private static BigInteger toBigInteger(Number n) {
        return n instanceof BigInteger big ? big : BigInteger.valueOf(n.longValue());
    }
}
