package org.fineprune.reproducibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunRecordTest {
    /** A record shaped like docs/run-records.md, its maps filled in the given key order. */
    static Map<String, Object> sample(boolean reversed) {
        Map<String, Object> defense = ordered(reversed, "name", "mean-activation-pruning", "layer", "conv_3",
                "drop", 2.0, "batch", 256);
        Map<String, Object> repaired = ordered(reversed, "clean_accuracy", 98.21, "attack_success_rate", 100.0);
        Map<String, Object> metrics = ordered(reversed, "repaired", repaired, "pruned", 45, "reached", true);
        Map<String, Object> environment = ordered(reversed, "java", "17", "git_commit", null);
        return ordered(reversed, "point", "drop=2,engine=PyTorch,layer=conv_3,seed=1",
                "config", ordered(reversed, "engine", "PyTorch", "defense", defense),
                "environment", environment, "metrics", metrics, "pruned_channels", List.of(0, 2, 9),
                "curve", List.of(100.0, 99.5), "seed", 1L << 40,
                "timings", ordered(reversed, "sweep_seconds", 1.2));
    }

    private static Map<String, Object> ordered(boolean reversed, Object... keysAndValues) {
        List<Object[]> pairs = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            pairs.add(new Object[] {keysAndValues[i], keysAndValues[i + 1]});
        }
        if (reversed) {
            Collections.reverse(pairs);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        pairs.forEach(p -> map.put((String) p[0], p[1]));
        return map;
    }

    @Test
    void canonical_json_sorts_keys_at_every_level_without_whitespace() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1);
        inner.put("a", List.of(Map.of("y", 2.5, "b", "x")));
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("point", "p");
        content.put("nested", inner);
        content.put("empty", null);

        assertEquals("{\"empty\":null,\"nested\":{\"a\":[{\"b\":\"x\",\"y\":2.5}],\"z\":1},\"point\":\"p\"}",
                RunRecord.of(content).toJsonLine());
    }

    @Test
    void maps_filled_in_different_orders_give_identical_lines() {
        RunRecord forward = RunRecord.of(sample(false));
        RunRecord backward = RunRecord.of(sample(true));

        assertEquals(forward.toJsonLine(), backward.toJsonLine());
        assertEquals(forward, backward);
        assertEquals(forward.hashCode(), backward.hashCode());
    }

    @Test
    void parsing_a_line_gives_back_the_same_bytes_and_an_equal_record() {
        RunRecord record = RunRecord.of(sample(false));

        RunRecord parsed = RunRecord.parse(record.toJsonLine());

        assertEquals(record.toJsonLine(), parsed.toJsonLine());
        assertEquals(record, parsed);
        assertEquals(record.asMap(), parsed.asMap());
    }

    @Test
    void numbers_of_every_java_type_round_trip_byte_for_byte() {
        Map<String, Object> content = new HashMap<>();
        content.put("point", "p");
        content.put("numbers", Arrays.asList((byte) 1, (short) 2, 3, 4L, Long.MAX_VALUE,
                BigInteger.TEN.pow(30), 0.1f, 2.0, -0.0, 1e-7, 1e300, new BigDecimal("98.21"), 5.0e22));
        RunRecord record = RunRecord.of(content);

        RunRecord parsed = RunRecord.parse(record.toJsonLine());

        assertEquals(record.toJsonLine(), parsed.toJsonLine());
        assertEquals(record.asMap(), parsed.asMap());
        assertTrue(record.toJsonLine().contains("[1,2,3,4,9223372036854775807,1000000000000000000000000000000,"
                + "0.1,2.0,-0.0,1.0E-7,1.0E300,98.21,5.0E22]"), record.toJsonLine());
    }

    @Test
    void doubles_are_written_as_their_shortest_decimal_on_every_jdk() {
        // Java 17's Double.toString writes these as 4.9999999999999996E22 and 9.999999999999999E22 (JDK-4511638).
        RunRecord record = RunRecord.of(Map.of("point", "p", "x", 5.0e22, "y", 1.0e23));

        assertEquals("{\"point\":\"p\",\"x\":5.0E22,\"y\":1.0E23}", record.toJsonLine());
    }

    @Test
    void integers_read_back_as_the_smallest_fitting_type() {
        RunRecord record = RunRecord.of(Map.of("point", "p", "small", 7L, "large", 1L << 40));

        assertEquals(Integer.valueOf(7), record.get("small"));
        assertEquals(Long.valueOf(1L << 40), record.get("large"));
    }

    @Test
    void dotted_paths_reach_nested_values() {
        RunRecord record = RunRecord.of(sample(false));

        assertEquals("conv_3", record.get("config.defense.layer"));
        assertEquals(98.21, record.get("metrics.repaired.clean_accuracy"));
        assertEquals(List.of(0, 2, 9), record.get("pruned_channels"));
        assertEquals("drop=2,engine=PyTorch,layer=conv_3,seed=1", record.point());
    }

    @Test
    void dotted_paths_that_lead_nowhere_give_null() {
        RunRecord record = RunRecord.of(sample(false));

        assertNull(record.get("config.defense.missing"));
        assertNull(record.get("point.below_a_string"));
        assertNull(record.get("environment.git_commit"));
        assertThrows(IllegalArgumentException.class, () -> record.get(" "));
    }

    @Test
    void the_tree_cannot_be_changed_at_any_level() {
        RunRecord record = RunRecord.of(sample(false));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) record.asMap().get("config");
        @SuppressWarnings("unchecked")
        List<Object> channels = (List<Object>) record.get("pruned_channels");

        assertThrows(UnsupportedOperationException.class, () -> record.asMap().put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> config.remove("engine"));
        assertThrows(UnsupportedOperationException.class, () -> channels.add(3));
    }

    @Test
    void later_changes_to_the_source_map_do_not_reach_the_record() {
        Map<String, Object> content = sample(false);
        List<Integer> channels = new ArrayList<>(List.of(1, 2));
        content.put("pruned_channels", channels);
        RunRecord record = RunRecord.of(content);

        channels.add(3);
        content.put("point", "other");

        assertEquals(List.of(1, 2), record.get("pruned_channels"));
        assertEquals("drop=2,engine=PyTorch,layer=conv_3,seed=1", record.point());
    }

    @Test
    void without_timings_drops_only_the_top_level_timings() {
        RunRecord record = RunRecord.of(sample(false));

        RunRecord withoutTimings = record.withoutTimings();

        assertNull(withoutTimings.get("timings"));
        assertFalse(withoutTimings.toJsonLine().contains("timings"));
        assertEquals(record.get("metrics"), withoutTimings.get("metrics"));
        assertSame(withoutTimings, withoutTimings.withoutTimings());
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing", "blank", "number"})
    void a_record_needs_a_non_blank_string_point(String kind) {
        Map<String, Object> content = new HashMap<>(Map.of("seed", 1));
        if (kind.equals("blank")) {
            content.put("point", "  ");
        } else if (kind.equals("number")) {
            content.put("point", 3);
        }

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunRecord.of(content));
        assertTrue(e.getMessage().contains("point"), e.getMessage());
    }

    @Test
    void values_json_cannot_hold_are_refused_naming_where_they_are() {
        Map<String, Object> nan = Map.of("point", "p", "metrics", Map.of("curve", List.of(1.0, Double.NaN)));
        Map<String, Object> set = Map.of("point", "p", "channels", Set.of(1));
        Map<String, Object> nonStringKey = Map.of("point", "p", "by_channel", Map.of(1, "a"));

        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunRecord.of(nan)).getMessage()
                .startsWith("metrics.curve[1]: "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunRecord.of(set)).getMessage()
                .startsWith("channels: "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunRecord.of(nonStringKey)).getMessage()
                .startsWith("by_channel: "));
    }

    @Test
    void a_tree_that_contains_itself_is_refused() {
        Map<String, Object> content = new HashMap<>();
        content.put("point", "p");
        content.put("self", content);

        assertThrows(IllegalArgumentException.class, () -> RunRecord.of(content));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[1,2]", "null", "{\"point\":\"p\"} trailing",
        "{\"point\":\"p\",\"point\":\"q\"}", "{\"seed\":1}", "{\"point\":\"p\",\"x\":NaN}",
        "{\"point\":\"p\",\"x\":1e400}"})
    void lines_that_are_not_records_are_format_errors(String line) {
        assertThrows(RecordFormatException.class, () -> RunRecord.parse(line));
    }
}
