package org.fineprune.experiments;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.fineprune.defenses.api.Settings;

/**
 * One point of a sweep: a defense with its settings on one engine and seed, under one protocol, and,
 * where the sweep has subject axes, one recipe of the Fashion-MNIST BadNet. Its identity in {@code
 * results.jsonl} is its axes, {@code axis=value} pairs sorted by axis name, such as {@code
 * defense=pruning,drop=2,engine=PyTorch,layer=conv_3,seed=1} or {@code
 * attack=blend,defense=pruning,engine=PyTorch,network=wide-cnn,seed=1}; a protocol other than {@code
 * lab} adds {@code protocol=strict}, so the keys of lab points stay what they were before protocols.
 *
 * @param settings the defense's settings, every parameter set
 * @param axes the parameters the sweep varies, by name (a subset of the settings)
 * @param engine the DJL engine
 * @param seed the seed
 * @param protocol how the defender's clean images are used
 * @param subject the point's values of the {@link SubjectAxes} the sweep has, by axis name
 */
public record Point(Settings settings, List<String> axes, String engine, long seed, Protocol protocol,
        SortedMap<String, String> subject) {
    /** The key of the protocol axis. */
    static final String PROTOCOL = "protocol";

    /** Copies the axes. */
    public Point {
        axes = List.copyOf(axes);
        protocol = protocol == null ? Protocol.lab() : protocol;
        subject = Collections.unmodifiableSortedMap(new TreeMap<>(subject));
    }

    /** A point under the lab protocol of a sweep without subject axes. */
    public Point(Settings settings, List<String> axes, String engine, long seed) {
        this(settings, axes, engine, seed, Protocol.lab(), new TreeMap<>());
    }

    /** A point of a sweep without subject axes. */
    public Point(Settings settings, List<String> axes, String engine, long seed, Protocol protocol) {
        this(settings, axes, engine, seed, protocol, new TreeMap<>());
    }

    /** A point under the lab protocol. */
    public Point(Settings settings, List<String> axes, String engine, long seed, SortedMap<String, String> subject) {
        this(settings, axes, engine, seed, Protocol.lab(), subject);
    }

    /** The defense's name. */
    public String defense() {
        return settings.defense();
    }

    /** The point's identity: every axis, the defense, engine and seed included, sorted by name. */
    public String key() {
        SortedMap<String, String> pairs = new TreeMap<>();
        pairs.put("defense", defense());
        pairs.put("engine", engine);
        pairs.put("seed", Long.toString(seed));
        if (!protocol.isLab()) {
            pairs.put(PROTOCOL, protocol.name());
        }
        pairs.putAll(subject);
        for (String axis : axes) {
            pairs.put(axis, axisValue(settings.values().get(axis)));
        }
        return pairs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The parameter axis names of a point key: its axes less defense, engine, seed, protocol and the subject axes. */
    static List<String> axesOf(String key) {
        return java.util.Arrays.stream(key.split(",")).map(pair -> pair.substring(0, Math.max(0, pair.indexOf('='))))
                .filter(name -> !List.of("defense", "engine", "seed", PROTOCOL).contains(name))
                .filter(name -> !SubjectAxes.NAMES.contains(name)).toList();
    }

    /** The subject axes' pairs of a point key. */
    static SortedMap<String, String> subjectOf(String key) {
        SortedMap<String, String> pairs = new TreeMap<>();
        for (String pair : key.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && SubjectAxes.NAMES.contains(pair.substring(0, eq))) {
                pairs.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return pairs;
    }

    /** A value as written in keys: numbers without a trailing {@code .0}, lists joined with {@code +}. */
    static String axisValue(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(Point::axisValue).collect(Collectors.joining("+"));
        }
        if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        }
        return String.valueOf(value);
    }

    /**
     * Refuses an axis value that would make a key ambiguous: text with {@code ,}, {@code =} or
     * {@code +}.
     */
    static void requireAxisValue(String axis, Object value) {
        String text = axisValue(value);
        if (text.isEmpty() || text.matches(".*[,=].*") || (!(value instanceof List) && text.contains("+"))) {
            throw new IllegalArgumentException("the " + axis + " axis: value '" + text
                    + "' cannot name a point (it is empty or holds ',', '=' or '+')");
        }
    }

    /** A number as written in keys, file names and reports: no trailing {@code .0} ({@code 2}, {@code 2.5}). */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        String plain = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        return plain.equals("-0") ? "0" : plain;
    }
}
