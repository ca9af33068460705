package org.fineprune.reproducibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    @Test
    void a_log_reads_a_file_of_any_name_and_reports_a_truncated_last_line() throws IOException {
        Path file = Files.createDirectories(dir.resolve("run")).resolve("my-run.jsonl");
        String cut = record("drop=2", 98.21).toJsonLine();
        Files.writeString(file, record("drop=1", 97.5).toJsonLine() + "\n" + cut.substring(0, cut.length() / 2));
        Files.writeString(resultsFile(), record("drop=30", 1.0).toJsonLine() + "\n");

        ResultsLog log = ResultsLog.openFile(file);

        assertEquals(file, log.file());
        assertEquals(List.of(record("drop=1", 97.5)), log.records());
        assertTrue(log.endsInTruncatedLine());
        log.append(record("drop=2", 98.21));
        assertFalse(log.endsInTruncatedLine());
        assertFalse(ResultsLog.openFile(file).endsInTruncatedLine());
        assertFalse(ResultsLog.open(dir.resolve("run")).endsInTruncatedLine());
    }

    @Test
    void two_logs_appending_at_once_in_one_jvm_never_both_write() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 50; i++) {
                Path run = dir.resolve("race-" + i);
                ResultsLog first = ResultsLog.open(run);
                ResultsLog second = ResultsLog.open(run);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<String> a = pool.submit(() -> appendAfter(start, first, record("drop=1", 1.0)));
                Future<String> b = pool.submit(() -> appendAfter(start, second, record("drop=2", 2.0)));
                List<String> outcomes = List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS));

                assertEquals(1, outcomes.stream().filter(o -> o.equals("written")).count(), outcomes.toString());
                assertEquals(1, outcomes.stream().filter(o -> o.contains("has changed since it was read")).count(),
                        outcomes.toString());
                ResultsLog winner = outcomes.get(0).equals("written") ? first : second;
                assertEquals(winner.records().get(0).toJsonLine() + "\n",
                        Files.readString(run.resolve(ResultsLog.FILE_NAME)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String appendAfter(CyclicBarrier start, ResultsLog log, RunRecord record) throws Exception {
        start.await(30, TimeUnit.SECONDS);
        try {
            log.append(record);
            return "written";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /**
     * Another process holds the file lock while it appends a line: this log's append must wait for
     * the lock, then see the other line and refuse, rather than pass its check and write beside it.
     */
    @Test
    void an_append_waits_for_another_process_holding_the_lock_and_then_refuses() throws Exception {
        ResultsLog log = ResultsLog.open(dir.resolve("run"));
        String theirs = record("drop=9", 9.0).toJsonLine();
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockingWriter.class.getName(),
                resultsFile().toString(), theirs).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader fromOther = new BufferedReader(
                    new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", fromOther.readLine());

            CompletableFuture<Void> appending = CompletableFuture.runAsync(() -> {
                try {
                    log.append(record("drop=1", 97.5));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Thread.sleep(500);
            assertFalse(appending.isDone(), "the append did not wait for the other process's lock");

            other.getOutputStream().write("append\n".getBytes(StandardCharsets.UTF_8));
            other.getOutputStream().flush();
            assertTrue(other.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, other.exitValue());
            ExecutionException e = assertThrows(ExecutionException.class, () -> appending.get(30, TimeUnit.SECONDS));

            assertTrue(e.getCause().getMessage().contains("has changed since it was read"), e.getCause().toString());
            assertEquals(theirs + "\n", Files.readString(resultsFile()));
        } finally {
            other.destroyForcibly();
        }
    }

    /**
     * A writer in another process: locks the file given as first argument, says "locked", and on a
     * line from its input appends its second argument as a line and lets go of the lock.
     */
    static final class LockingWriter {
        public static void main(String[] args) throws IOException {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                System.out.println("locked");
                System.out.flush();
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                channel.write(ByteBuffer.wrap((args[1] + "\n").getBytes(StandardCharsets.UTF_8)), channel.size());
                channel.force(true);
            }
        }
    }
}
