package org.fineprune.reproducibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsLogTest {
    @TempDir
    Path dir;

    private static RunRecord record(String point, double accuracy) {
        return RunRecord.of(Map.of("point", point, "metrics", Map.of("clean_accuracy", accuracy),
                "timings", Map.of("sweep_seconds", 0.5)));
    }

    private Path resultsFile() {
        return dir.resolve("run").resolve(ResultsLog.FILE_NAME);
    }

    @Test
    void opening_creates_the_run_folder_and_an_empty_log() throws IOException {
        ResultsLog log = ResultsLog.open(dir.resolve("run"));

        assertTrue(Files.isDirectory(dir.resolve("run")));
        assertEquals(resultsFile(), log.file());
        assertTrue(log.points().isEmpty());
        assertTrue(log.records().isEmpty());
    }

    @Test
    void appended_records_are_there_after_reopening_in_order() throws IOException {
        ResultsLog log = ResultsLog.open(dir.resolve("run"));
        log.append(record("drop=2", 98.21));
        log.append(record("drop=1", 97.5));

        ResultsLog reopened = ResultsLog.open(dir.resolve("run"));

        assertEquals(List.of("drop=2", "drop=1"), List.copyOf(reopened.points()));
        assertEquals(List.of(record("drop=2", 98.21), record("drop=1", 97.5)), reopened.records());
        assertEquals(log.points(), reopened.points());
    }

    @Test
    void each_record_is_one_canonical_line() throws IOException {
        ResultsLog log = ResultsLog.open(dir.resolve("run"));
        log.append(record("drop=2", 98.21));
        log.append(record("drop=1", 97.5));

        assertEquals(record("drop=2", 98.21).toJsonLine() + "\n" + record("drop=1", 97.5).toJsonLine() + "\n",
                Files.readString(resultsFile()));
    }

    @Test
    void a_point_already_recorded_is_refused() throws IOException {
        ResultsLog log = ResultsLog.open(dir.resolve("run"));
        log.append(record("drop=2", 98.21));

        assertThrows(IllegalArgumentException.class, () -> log.append(record("drop=2", 10.0)));
        assertThrows(IllegalArgumentException.class,
                () -> ResultsLog.open(dir.resolve("run")).append(record("drop=2", 10.0)));
        assertEquals(1, Files.readAllLines(resultsFile()).size());
    }

    @Test
    void a_truncated_last_line_is_ignored_and_replaced_by_the_next_append() throws IOException {
        ResultsLog log = ResultsLog.open(dir.resolve("run"));
        log.append(record("drop=1", 97.5));
        String cut = record("drop=2", 98.21).toJsonLine();
        Files.writeString(resultsFile(), cut.substring(0, cut.length() / 2), StandardOpenOption.APPEND);

        ResultsLog resumed = ResultsLog.open(dir.resolve("run"));
        assertEquals(Set.of("drop=1"), resumed.points());

        resumed.append(record("drop=2", 98.21));

        assertEquals(record("drop=1", 97.5).toJsonLine() + "\n" + record("drop=2", 98.21).toJsonLine() + "\n",
                Files.readString(resultsFile()));
        assertEquals(List.of("drop=1", "drop=2"), List.copyOf(ResultsLog.open(dir.resolve("run")).points()));
    }

    @Test
    void a_cut_multibyte_character_counts_as_a_truncated_line() throws IOException {
        ResultsLog.open(dir.resolve("run")).append(record("drop=1", 97.5));
        byte[] line = RunRecord.of(Map.of("point", "layer=\u00e9")).toJsonLine().getBytes(StandardCharsets.UTF_8);
        int cutInsideE = new String(line, StandardCharsets.UTF_8).indexOf('\u00e9') + 1;
        Files.write(resultsFile(), Arrays.copyOf(line, cutInsideE), StandardOpenOption.APPEND);

        assertEquals(Set.of("drop=1"), ResultsLog.open(dir.resolve("run")).points());
    }

    @Test
    void a_whole_last_record_without_its_newline_is_kept() throws IOException {
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(resultsFile(), record("drop=1", 97.5).toJsonLine());

        ResultsLog log = ResultsLog.open(dir.resolve("run"));
        assertEquals(Set.of("drop=1"), log.points());
        log.append(record("drop=2", 98.21));

        assertEquals(record("drop=1", 97.5).toJsonLine() + "\n" + record("drop=2", 98.21).toJsonLine() + "\n",
                Files.readString(resultsFile()));
    }

    @Test
    void a_malformed_middle_line_is_an_error_naming_file_and_line() throws IOException {
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(resultsFile(), record("drop=1", 97.5).toJsonLine() + "\n{\"point\": oops\n"
                + record("drop=2", 98.21).toJsonLine() + "\n");

        RecordFormatException e = assertThrows(RecordFormatException.class,
                () -> ResultsLog.open(dir.resolve("run")));

        assertTrue(e.getMessage().startsWith(resultsFile() + ", line 2: "), e.getMessage());
    }

    @Test
    void a_malformed_last_line_with_its_newline_is_an_error() throws IOException {
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(resultsFile(), record("drop=1", 97.5).toJsonLine() + "\n{\"point\":\n");

        RecordFormatException e = assertThrows(RecordFormatException.class,
                () -> ResultsLog.open(dir.resolve("run")));

        assertTrue(e.getMessage().startsWith(resultsFile() + ", line 2: "), e.getMessage());
    }

    @Test
    void a_blank_line_is_an_error() throws IOException {
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(resultsFile(), "\n" + record("drop=1", 97.5).toJsonLine() + "\n");

        RecordFormatException e = assertThrows(RecordFormatException.class,
                () -> ResultsLog.open(dir.resolve("run")));

        assertTrue(e.getMessage().contains(", line 1: "), e.getMessage());
    }

    @Test
    void a_point_written_twice_in_the_file_is_an_error_naming_both_lines() throws IOException {
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(resultsFile(), record("drop=1", 97.5).toJsonLine() + "\n"
                + record("drop=2", 1.0).toJsonLine() + "\n" + record("drop=1", 3.0).toJsonLine() + "\n");

        RecordFormatException e = assertThrows(RecordFormatException.class,
                () -> ResultsLog.open(dir.resolve("run")));

        assertTrue(e.getMessage().contains(", line 3: ") && e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void an_append_refuses_to_write_over_another_writers_lines() throws IOException {
        ResultsLog first = ResultsLog.open(dir.resolve("run"));
        ResultsLog second = ResultsLog.open(dir.resolve("run"));
        first.append(record("drop=1", 97.5));

        IOException e = assertThrows(IOException.class, () -> second.append(record("drop=2", 98.21)));

        assertTrue(e.getMessage().contains("changed"), e.getMessage());
        assertFalse(Files.readString(resultsFile()).contains("drop=2"));
    }
}
