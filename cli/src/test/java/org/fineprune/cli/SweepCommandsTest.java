package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fineprune.core.testing.SharedCsaw;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sweep}, {@code report} and {@code reproduce} from the command line. */
@Tag("real-data")
class SweepCommandsTest {
    @Test
    void sweep_from_a_yaml_file_then_report_and_reproduce(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("lab3.yaml"), String.join("\n",
                "name: cli-test",
                "model: {weights: " + SharedCsaw.file("models/bd_weights.h5") + "}",
                "data: {dir: " + SharedCsaw.file("data") + "}",
                "sweep: {drops: [4, 10], layers: [conv_3]}",
                "device: cpu",
                "out: run", ""));
        CliRunner sweep = CliRunner.run("sweep", "--file", file.toString());
        assertEquals(0, sweep.exitCode(), sweep.err());
        assertTrue(sweep.out().startsWith("2 points run, 0 already recorded"), sweep.out());
        Path results = tmp.resolve("run/results.jsonl");
        assertEquals(2, Files.readAllLines(results).size());

        CliRunner again = CliRunner.run("sweep", "--file", file.toString());
        assertTrue(again.out().startsWith("0 points run, 2 already recorded"), again.out());

        CliRunner refused = CliRunner.run("report", tmp.resolve("run").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, refused.exitCode());
        assertTrue(refused.err().contains("already holds results") && refused.err().contains("--force"), refused.err());
        Files.delete(tmp.resolve("run/report.md"));
        CliRunner report = CliRunner.run("report", "--force", results.toString());
        assertEquals(0, report.exitCode(), report.err());
        assertEquals("report written to " + tmp.resolve("run/report.md"), report.out().strip());
        assertTrue(Files.isRegularFile(tmp.resolve("run/report.md")));

        CliRunner reproduce = CliRunner.run("reproduce", results.toString());
        assertEquals(0, reproduce.exitCode(), reproduce.err() + reproduce.out());
        assertTrue(reproduce.out().contains("2 of 2 points reproduced"), reproduce.out());

        List<String> lines = Files.readAllLines(results);
        Path mine = Files.writeString(tmp.resolve("run/my-run.jsonl"), lines.get(1) + "\n"
                + lines.get(0).substring(0, lines.get(0).length() / 2));
        CliRunner one = CliRunner.run("reproduce", mine.toString());
        assertEquals(0, one.exitCode(), one.err() + one.out());
        assertTrue(one.out().contains("ok        drop=10,engine=PyTorch,layer=conv_3,seed=1"), one.out());
        assertTrue(one.out().endsWith("1 of 1 points reproduced\n"), one.out());
        assertEquals("1 truncated record at the end of " + mine + " was skipped\n", one.err());

        Path edited = Files.createDirectories(tmp.resolve("edited")).resolve("results.jsonl");
        Files.write(edited, List.of(lines.get(0).replaceFirst("\"valid_accuracy\":([0-9.]+)}", "\"valid_accuracy\":1.5}")));
        CliRunner mismatch = CliRunner.run("reproduce", edited.toString());
        assertEquals(ReproduceCommand.MISMATCH, mismatch.exitCode(), mismatch.out());
        assertTrue(mismatch.out().contains("MISMATCH  drop=4,engine=PyTorch,layer=conv_3,seed=1"), mismatch.out());
        assertTrue(mismatch.out().contains("metrics.baseline.valid_accuracy: recorded 1.5"), mismatch.out());
    }

    @Test
    void sweep_from_flags(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("sweep", "--model", SharedCsaw.file("models/bd_weights.h5").toString(),
                "--data", SharedCsaw.file("data").toString(), "--drops", "2", "--engines", "MXNet", "--device", "cpu",
                "--out", tmp.resolve("flags").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("1 points run"), r.out());
    }

    @Test
    void a_layer_that_is_not_a_convolution_of_the_model_is_refused_before_the_run_folder_is_made(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("sweep", "--model", SharedCsaw.file("models/bd_weights.h5").toString(),
                "--data", SharedCsaw.file("data").toString(), "--layers", "conv_3,fc_1", "--device", "cpu",
                "--out", tmp.resolve("out").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("'fc_1' is not a convolution layer of DeepID"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void a_report_the_user_wrote_stops_the_sweep_before_it_runs(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("mine"));
        Path report = Files.writeString(out.resolve("report.md"), "my report");
        CliRunner r = CliRunner.run("sweep", "--model", SharedCsaw.file("models/bd_weights.h5").toString(),
                "--data", SharedCsaw.file("data").toString(), "--drops", "2", "--device", "cpu",
                "--out", out.toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune sweep: error: " + report + ": not written by fineprune report; move it away or "
                + "choose another --out", r.err().strip());
        assertEquals("my report", Files.readString(report));
        assertFalse(Files.exists(out.resolve("results.jsonl")), "no point is run");
    }

    @Test
    void report_takes_a_file_only_if_it_is_results_jsonl(@TempDir Path tmp) throws Exception {
        Path other = Files.writeString(tmp.resolve("one.jsonl"), "{}\n");
        CliRunner r = CliRunner.run("report", other.toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune report: error: " + other + ": not a run folder or its results.jsonl", r.err().strip());
    }

    @Test
    void file_and_flags_together_are_refused(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("sweep", "--file", "x.yaml", "--model", "m.h5", "--data", "d");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
    }

    @Test
    void report_and_reproduce_name_a_missing_folder_or_file(@TempDir Path tmp) {
        CliRunner report = CliRunner.run("report", tmp.resolve("nothing").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, report.exitCode());
        assertTrue(report.err().contains("nothing"), report.err());
        CliRunner reproduce = CliRunner.run("reproduce", tmp.resolve("absent.jsonl").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, reproduce.exitCode());
        assertTrue(reproduce.err().contains("absent.jsonl: no such results file"), reproduce.err());
    }

    @Test
    void a_name_that_is_not_a_plain_file_name_is_refused_before_any_work(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("sweep", "--name", "..", "--model", tmp.resolve("m.h5").toString(),
                "--data", tmp.resolve("d").toString(), "--out", tmp.resolve("out").toString());

        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("experiment name must be a plain file name"), r.err());
        assertTrue(r.err().contains("got '..'"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }
}
