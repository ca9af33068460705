package org.fineprune.experiments;

import java.math.BigDecimal;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.fineprune.defenses.api.Settings;

/**
 * One point of a sweep: a defense with its settings on one engine and seed, under one protocol. Its
 * identity in {@code results.jsonl} is its axes, {@code axis=value} pairs sorted by axis name, such as
 * {@code defense=pruning,drop=2,engine=PyTorch,layer=conv_3,seed=1}; a protocol other than {@code lab}
 * adds {@code protocol=strict}, so the keys of lab points stay what they were before protocols.
 *
 * @param settings the defense's settings, every parameter set
 * @param axes the parameters the sweep varies, by name (a subset of the settings)
 * @param engine the DJL engine
 * @param seed the seed
 * @param protocol how the defender's clean images are used
 */
public record Point(Settings settings, List<String> axes, String engine, long seed, Protocol protocol) {
    /** The key of the protocol axis. */
    static final String PROTOCOL = "protocol";

    /** Copies the axes. */
    public Point {
        axes = List.copyOf(axes);
        protocol = protocol == null ? Protocol.lab() : protocol;
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
        for (String axis : axes) {
            pairs.put(axis, axisValue(settings.values().get(axis)));
        }
        return pairs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The axis names of a point key. */
    static List<String> axesOf(String key) {
        return java.util.Arrays.stream(key.split(",")).map(pair -> pair.substring(0, Math.max(0, pair.indexOf('='))))
                .filter(name -> !List.of("defense", "engine", "seed", PROTOCOL).contains(name)).toList();
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
