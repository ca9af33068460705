package org.fineprune.reproducibility;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The record of one sweep point: an immutable tree of maps, lists, strings, numbers, booleans and
 * nulls whose top level holds a non-blank string {@code point}, written as one canonical JSON line
 * of {@code results.jsonl} (docs/run-records.md).
 *
 * <p>The tree is copied and normalised when the record is made: map keys are sorted at every level,
 * integral numbers become the smallest of {@link Integer}, {@link Long} and {@link BigInteger} that
 * holds them, and other numbers become {@link Double}s ({@link Float}s by their decimal form), the
 * types that {@link #parse} reads back. So a record equals the record parsed from its own line, and
 * two trees that differ only in insertion order give the same bytes.
 */
public final class RunRecord {
    private static final String POINT = "point";
    private static final String TIMINGS = "timings";
    /** Deeper than any real record; it turns a tree that contains itself into a clear error. */
    private static final int MAX_DEPTH = 200;

    private final Map<String, Object> tree;
    private final String jsonLine;

    private RunRecord(Map<String, Object> tree) {
        this.tree = tree;
        this.jsonLine = CanonicalJson.write(tree);
    }

    /**
     * The record holding a normalised copy of {@code content}.
     *
     * @throws IllegalArgumentException if {@code content} lacks a non-blank string {@code point}, or
     *     holds a value JSON cannot (a set, an array, a non-finite number, a non-string key), naming
     *     where it is
     */
    public static RunRecord of(Map<String, ?> content) {
        Objects.requireNonNull(content, "content");
        Map<String, Object> tree = copyMap(content, "", 0);
        Object point = tree.get(POINT);
        if (!(point instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("a run record needs a non-blank string 'point', got "
                    + (point == null ? "none" : CanonicalJson.write(point)));
        }
        return new RunRecord(tree);
    }

    /**
     * The record written as {@code line} by {@link #toJsonLine()} or by hand.
     *
     * @throws RecordFormatException if {@code line} is not one JSON object that makes a valid record
     */
    public static RunRecord parse(String line) {
        Objects.requireNonNull(line, "line");
        Map<String, Object> content = CanonicalJson.readObject(line);
        try {
            return of(content);
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException(e.getMessage(), e);
        }
    }

    /** The point's identity within its run, such as {@code drop=2,engine=PyTorch,layer=conv_3,seed=1}. */
    public String point() {
        return (String) tree.get(POINT);
    }

    /**
     * The value at {@code dottedPath}, such as {@code config.defense.layer}; {@code null} where the
     * path leads nowhere, as for a JSON {@code null}.
     */
    public Object get(String dottedPath) {
        if (dottedPath == null || dottedPath.isBlank()) {
            throw new IllegalArgumentException("a path needs at least one key, got '" + dottedPath + "'");
        }
        Object node = tree;
        for (String key : dottedPath.split("\\.", -1)) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    /** The whole tree; neither it nor any map or list inside can be changed. */
    public Map<String, Object> asMap() {
        return tree;
    }

    /** The record as one line of JSON with keys sorted at every level and no whitespace, without a newline. */
    public String toJsonLine() {
        return jsonLine;
    }

    /** This record without its top-level {@code timings}, the only fields that depend on when it ran. */
    public RunRecord withoutTimings() {
        if (!tree.containsKey(TIMINGS)) {
            return this;
        }
        Map<String, Object> rest = new TreeMap<>(tree);
        rest.remove(TIMINGS);
        return new RunRecord(Collections.unmodifiableMap(rest));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunRecord r && jsonLine.equals(r.jsonLine);
    }

    @Override
    public int hashCode() {
        return jsonLine.hashCode();
    }

    @Override
    public String toString() {
        return jsonLine;
    }

    private static Map<String, Object> copyMap(Map<?, ?> map, String path, int depth) {
        Map<String, Object> copy = new TreeMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException(at(path) + "map keys must be strings, got " + entry.getKey());
            }
            copy.put(key, copy(entry.getValue(), TreePaths.child(path, key), depth + 1));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object copy(Object value, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(at(path) + "nested deeper than " + MAX_DEPTH
                    + " levels; does the tree contain itself?");
        }
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            return normalise(number, path);
        }
        if (value instanceof Map<?, ?> map) {
            return copyMap(map, path, depth);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(copy(list.get(i), TreePaths.element(path, i), depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(at(path) + "a record cannot hold a " + value.getClass().getName()
                + "; use maps, lists, strings, numbers, booleans or null");
    }

    private static Number normalise(Number number, String path) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short
                || number instanceof Byte) {
            return smallest(BigInteger.valueOf(number.longValue()));
        }
        if (number instanceof BigInteger big) {
            return smallest(big);
        }
        double value;
        if (number instanceof Double d) {
            value = d;
        } else if (number instanceof Float f) {
            // The float's own shortest decimal, not its binary expansion 0.10000000149011612.
            value = Double.parseDouble(NumberOutput.toString(f, true));
        } else if (number instanceof BigDecimal big) {
            value = big.doubleValue();
        } else {
            throw new IllegalArgumentException(at(path) + "a record cannot hold a " + number.getClass().getName());
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(at(path) + "JSON cannot hold " + number);
        }
        return value;
    }

    /** The type Jackson reads an integer back as. */
    private static Number smallest(BigInteger value) {
        if (value.bitLength() < Integer.SIZE) {
            return value.intValue();
        }
        if (value.bitLength() < Long.SIZE) {
            return value.longValue();
        }
        return value;
    }

    private static String at(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }
}
