package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.experiments.LabSubject;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.Records;
import org.fineprune.reproducibility.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reproduce} replays exactly the records file it is given. The records name weights that do
 * not exist, so every point fails its file check without a model being run: the points listed show
 * which file was replayed.
 */
class ReproduceCommandTest {
    @TempDir
    Path tmp;

    private RunRecord record(String point) {
        Path absent = tmp.resolve("absent");
        LabSubject subject = new LabSubject(absent.resolve("bd.h5").toString(), 1, absent.resolve("valid.h5").toString(),
                absent.resolve("test.h5").toString(), absent.resolve("bd_test.h5").toString());
        PointRecord.Config config = new PointRecord.Config(subject, new PointRecord.DefenseConfig("pruning",
                Defenses.find("pruning").settings(Map.of()).values()), "PyTorch", "cpu");
        return Records.toRunRecord(new PointRecord(PointRecord.SCHEMA, "lab3", point, 1, config, Map.of(), Map.of(),
                null, Map.of(), null, Map.of()));
    }

    private Path write(Path file, String... points) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder lines = new StringBuilder();
        for (String point : points) {
            lines.append(record(point).toJsonLine()).append('\n');
        }
        return Files.writeString(file, lines);
    }

    /** A run folder whose results.jsonl holds four points. */
    private Path runFolder() throws IOException {
        Path run = tmp.resolve("runs/x");
        write(run.resolve("results.jsonl"), "drop=2", "drop=4", "drop=10", "drop=30");
        return run;
    }

    @Test
    void a_records_file_is_replayed_rather_than_the_results_jsonl_beside_it() throws IOException {
        Path one = write(runFolder().resolve("one.jsonl"), "drop=7");

        CliRunner r = CliRunner.run("reproduce", one.toString());

        assertEquals(ReproduceCommand.MISMATCH, r.exitCode(), r.err());
        assertTrue(r.out().contains("MISMATCH  drop=7\n"), r.out());
        assertTrue(r.out().contains("weights file " + tmp.resolve("absent/bd.h5") + " is missing"), r.out());
        assertFalse(r.out().contains("drop=2"), r.out());
        assertTrue(r.out().endsWith("0 of 1 points reproduced\n"), r.out());
    }

    @Test
    void a_one_record_file_of_any_name_is_replayed() throws IOException {
        Path mine = write(tmp.resolve("my-run.jsonl"), "drop=3");

        CliRunner r = CliRunner.run("reproduce", mine.toString());

        assertEquals(ReproduceCommand.MISMATCH, r.exitCode(), r.err());
        assertTrue(r.out().contains("MISMATCH  drop=3\n"), r.out());
        assertTrue(r.out().endsWith("0 of 1 points reproduced\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void a_run_folder_replays_its_results_jsonl() throws IOException {
        Path run = runFolder();
        write(run.resolve("one.jsonl"), "drop=7");

        CliRunner r = CliRunner.run("reproduce", run.toString());

        assertEquals(ReproduceCommand.MISMATCH, r.exitCode(), r.err());
        assertTrue(r.out().endsWith("0 of 4 points reproduced\n"), r.out());
        assertFalse(r.out().contains("drop=7"), r.out());
    }

    @Test
    void a_truncated_last_record_is_skipped_with_one_line_saying_so() throws IOException {
        Path mine = write(tmp.resolve("my-run.jsonl"), "drop=3");
        String cut = record("drop=5").toJsonLine();
        Files.writeString(mine, cut.substring(0, cut.length() / 2), StandardOpenOption.APPEND);

        CliRunner r = CliRunner.run("reproduce", mine.toString());

        assertEquals("1 truncated record at the end of " + mine + " was skipped\n", r.err());
        assertTrue(r.out().endsWith("0 of 1 points reproduced\n"), r.out());
        assertFalse(r.out().contains("drop=5"), r.out());
    }

    @Test
    void a_file_without_records_is_refused_by_name() throws IOException {
        Path empty = Files.writeString(tmp.resolve("empty.jsonl"), "");

        CliRunner r = CliRunner.run("reproduce", empty.toString());

        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().endsWith(empty + ": holds no records\n"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
