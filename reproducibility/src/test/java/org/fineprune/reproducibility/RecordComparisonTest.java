package org.fineprune.reproducibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordComparisonTest {
    private static RunRecord record(double cleanAccuracy, List<Integer> channels) {
        Map<String, Object> content = new HashMap<>();
        content.put("point", "drop=2");
        content.put("seed", 1);
        content.put("config", Map.of("defense", Map.of("layer", "conv_3")));
        content.put("metrics", Map.of("repaired", Map.of("clean_accuracy", cleanAccuracy), "reached", true));
        content.put("pruned_channels", channels);
        content.put("timings", Map.of("sweep_seconds", Math.random()));
        content.put("environment", Map.of("engine_version", "2.7.1"));
        return RunRecord.of(content);
    }

    private static RunRecord with(RunRecord record, String key, Object value) {
        Map<String, Object> content = new HashMap<>(record.asMap());
        if (value == null) {
            content.remove(key);
        } else {
            content.put(key, value);
        }
        return RunRecord.of(content);
    }

    @Test
    void identical_records_have_no_differences_whatever_their_timings() {
        assertEquals(List.of(), RecordComparison.compare(record(98.21, List.of(0, 2, 9)),
                record(98.21, List.of(0, 2, 9)), 0));
    }

    @Test
    void the_environment_is_ignored_by_default() {
        RunRecord replayed = with(record(98.21, List.of(0)), "environment", Map.of("engine_version", "2.8.0"));

        assertEquals(List.of(), RecordComparison.compare(record(98.21, List.of(0)), replayed, 0));
    }

    @Test
    void a_zero_tolerance_reports_any_numeric_change_and_reads_well() {
        List<Difference> differences = RecordComparison.compare(record(98.21, List.of(0)),
                record(97.5, List.of(0)), 0);

        assertEquals(List.of(new Difference("metrics.repaired.clean_accuracy", 98.21, 97.5)), differences);
        assertEquals("metrics.repaired.clean_accuracy: recorded 98.21, replayed 97.5",
                differences.get(0).toString());
    }

    @Test
    void a_tolerance_accepts_numbers_within_it_and_reports_those_beyond() {
        RunRecord recorded = record(98.21, List.of(0));

        assertEquals(List.of(), RecordComparison.compare(recorded, record(98.0, List.of(0)), 0.25));
        assertEquals(1, RecordComparison.compare(recorded, record(97.9, List.of(0)), 0.25).size());
    }

    @Test
    void an_integer_equals_a_double_of_the_same_value() {
        RunRecord recorded = with(record(98.21, List.of(0)), "seed", 1);

        assertEquals(List.of(), RecordComparison.compare(recorded, with(recorded, "seed", 1.0), 0));
    }

    @Test
    void large_integers_are_compared_without_rounding_to_doubles() {
        RunRecord recorded = with(record(98.21, List.of(0)), "seed", 1L << 60);
        RunRecord replayed = with(recorded, "seed", (1L << 60) + 3);

        assertEquals(1, RecordComparison.compare(recorded, replayed, 1).size());
        assertEquals(List.of(), RecordComparison.compare(recorded, replayed, 3));
    }

    @Test
    void list_elements_are_compared_one_by_one() {
        List<Difference> differences = RecordComparison.compare(record(98.21, List.of(0, 2, 9)),
                record(98.21, List.of(0, 3, 9)), 0);

        assertEquals(List.of(new Difference("pruned_channels[1]", 2, 3)), differences);
    }

    @Test
    void a_shorter_list_is_one_difference_holding_the_extra_elements() {
        List<Difference> differences = RecordComparison.compare(record(98.21, List.of(0, 2, 9, 4)),
                record(98.21, List.of(0, 2)), 0);

        assertEquals(List.of(new Difference("pruned_channels[2:]", List.of(9, 4), List.of())), differences);
        assertEquals("pruned_channels[2:]: recorded [9,4], replayed []", differences.get(0).toString());
    }

    @Test
    void keys_only_one_side_has_are_reported_as_missing() {
        RunRecord recorded = record(98.21, List.of(0));
        RunRecord replayed = with(with(recorded, "seed", null), "curve", List.of(100.0));

        List<Difference> differences = RecordComparison.compare(recorded, replayed, 0);

        assertEquals(List.of(new Difference("curve", Difference.Missing.VALUE, List.of(100.0)),
                new Difference("seed", 1, Difference.Missing.VALUE)), differences);
        assertEquals("seed: recorded 1, replayed missing", differences.get(1).toString());
    }

    @Test
    void strings_booleans_and_types_are_compared_exactly() {
        RunRecord recorded = record(98.21, List.of(0));
        RunRecord replayed = with(with(recorded, "config", Map.of("defense", Map.of("layer", "conv_4"))),
                "metrics", Map.of("repaired", Map.of("clean_accuracy", "98.21"), "reached", false));

        List<String> differences = new ArrayList<>();
        RecordComparison.compare(recorded, replayed, 1).forEach(d -> differences.add(d.toString()));

        assertEquals(List.of("config.defense.layer: recorded \"conv_3\", replayed \"conv_4\"",
                "metrics.reached: recorded true, replayed false",
                "metrics.repaired.clean_accuracy: recorded 98.21, replayed \"98.21\""), differences);
    }

    @Test
    void the_caller_chooses_which_top_level_keys_to_ignore() {
        RunRecord recorded = record(98.21, List.of(0));
        RunRecord replayed = with(with(recorded, "point", "engine=MXNet"), "environment", Map.of());

        assertEquals(List.of(new Difference("environment.engine_version", "2.7.1", Difference.Missing.VALUE)),
                RecordComparison.compare(recorded, replayed, 0, Set.of("point", "timings")));
        assertEquals(2, RecordComparison.compare(recorded, replayed, 0, Set.of()).size());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, Double.NaN, Double.POSITIVE_INFINITY})
    void a_tolerance_must_be_a_finite_non_negative_number(double tolerance) {
        RunRecord recorded = record(98.21, List.of(0));

        assertThrows(IllegalArgumentException.class, () -> RecordComparison.compare(recorded, recorded, tolerance));
    }

    @Test
    void a_difference_needs_a_path() {
        assertThrows(IllegalArgumentException.class, () -> new Difference(" ", 1, 2));
        assertTrue(new Difference("seed", null, 2).toString().startsWith("seed: recorded null"));
    }
}
