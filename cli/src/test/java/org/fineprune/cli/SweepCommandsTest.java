package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.fineprune.experiments.Point;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.Records;
import org.fineprune.core.testing.SharedCsaw;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code sweep}, {@code report} and {@code reproduce} from the command line. */
@Tag("real-data")
class SweepCommandsTest {
    private static final String MODEL = SharedCsaw.file("models/bd_weights.h5").toString();
    private static final String DATA = SharedCsaw.file("data").toString();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sweep_from_a_yaml_file_then_report_and_reproduce(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("lab3.yaml"), String.join("\n",
                "name: cli-test",
                "model: {weights: " + MODEL + "}",
                "data: {dir: " + DATA + "}",
                "defenses: [pruning]",
                "sweep: {parameters: {drop: [4, 10], layer: [conv_3]}}",
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
        assertTrue(one.out().contains("ok        defense=pruning,drop=10,engine=PyTorch,layer=conv_3,seed=1"), one.out());
        assertTrue(one.out().endsWith("1 of 1 points reproduced\n"), one.out());
        assertEquals("1 truncated record at the end of " + mine + " was skipped\n", one.err());

        ObjectNode record = (ObjectNode) JSON.readTree(lines.get(0));
        ((ObjectNode) record.at("/metrics/repaired")).put("clean_accuracy", 1.5);
        Path edited = Files.createDirectories(tmp.resolve("edited")).resolve("results.jsonl");
        Files.writeString(edited, JSON.writeValueAsString(record) + "\n");
        CliRunner mismatch = CliRunner.run("reproduce", edited.toString());
        assertEquals(ReproduceCommand.MISMATCH, mismatch.exitCode(), mismatch.out());
        assertTrue(mismatch.out().contains("MISMATCH  defense=pruning,drop=4,engine=PyTorch,layer=conv_3,seed=1"),
                mismatch.out());
        assertTrue(mismatch.out().contains("metrics.repaired.clean_accuracy: recorded 1.5"), mismatch.out());
    }

    @Test
    void sweep_by_flags_runs_each_defense_over_the_axes_it_declares(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("flags");
        CliRunner r = CliRunner.run("sweep", "--defense", "fine-pruning,pruning", "--param", "drop=4,10",
                "--param", "epochs=1,2", "--set", "batch-size=16", "--model", MODEL, "--data", DATA,
                "--device", "cpu", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("6 points run, 0 already recorded"), r.out());
        // pruning declares drop but not epochs: its points vary drop alone.
        assertEquals(Set.of("defense=fine-pruning,drop=4,engine=PyTorch,epochs=1,seed=1",
                "defense=fine-pruning,drop=4,engine=PyTorch,epochs=2,seed=1",
                "defense=fine-pruning,drop=10,engine=PyTorch,epochs=1,seed=1",
                "defense=fine-pruning,drop=10,engine=PyTorch,epochs=2,seed=1",
                "defense=pruning,drop=4,engine=PyTorch,seed=1",
                "defense=pruning,drop=10,engine=PyTorch,seed=1"),
                Records.read(out).stream().map(PointRecord::point).collect(Collectors.toSet()));
        List<PointRecord> records = Records.read(out);
        records.stream().filter(p -> p.point().startsWith("defense=fine-pruning"))
                .forEach(p -> assertEquals(16, p.config().defense().settings().get("batch-size"), p.point()));
        records.stream().filter(p -> p.point().startsWith("defense=pruning"))
                .forEach(p -> assertFalse(p.config().defense().settings().containsKey("batch-size"), p.point()));
        assertTrue(Files.isRegularFile(out.resolve("report.md")));
    }

    @Test
    void protocol_strict_holds_out_a_seeded_share_of_the_validation_images_and_says_so_in_the_record(@TempDir Path tmp)
            throws Exception {
        Path out = tmp.resolve("strict");
        CliRunner r = CliRunner.run("sweep", "--defense", "pruning", "--set", "drop=4", "--protocol", "lab,strict",
                "--selection-share", "0.25", "--model", MODEL, "--data", DATA, "--device", "cpu", "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<PointRecord> records = Records.read(out);
        assertEquals(List.of("defense=pruning,engine=PyTorch,seed=1", "defense=pruning,engine=PyTorch,protocol=strict,seed=1"),
                records.stream().map(PointRecord::point).toList());
        PointRecord lab = records.get(0);
        PointRecord strict = records.get(1);
        int images = lab.defender().cleanImages();
        assertEquals(new PointRecord.Defender(images, images, false), lab.defender());
        int held = (int) Math.round(0.25 * images);
        assertEquals(new PointRecord.Defender(images - held, held, true), strict.defender());
        assertEquals(0.25, strict.config().protocol().selectionShare());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--protocol|strikt|unknown protocol 'strikt'; protocols: lab, strict, backdoorbench",
        "--selection-share|0.3|a selection share is a setting of the strict protocol, and the protocols are [lab]",
        "--protocol|backdoorbench|protocol backdoorbench takes 5% of the BadNet's training images"})
    void a_protocol_that_cannot_be_run_is_refused_in_one_line_before_the_run_folder_is_made(String flag, String value,
            String message, @TempDir Path tmp) {
        for (String command : List.of("sweep", "compare")) {
            List<String> args = new java.util.ArrayList<>(List.of(command, flag, value, "--model", MODEL, "--data", DATA,
                    "--out", tmp.resolve(command).toString()));
            if (command.equals("sweep")) {
                args.addAll(List.of("--defense", "pruning"));
            }
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.out());
            assertTrue(r.err().startsWith("fineprune " + command + ": error: " + message), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(tmp.resolve(command)));
        }
    }

    @Test
    void demo_takes_the_protocols_too() {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--protocol", "strict,backdoorbench", "--selection-share", "0.1");
        assertEquals(List.of(org.fineprune.experiments.Protocol.strict(0.1),
                org.fineprune.experiments.Protocol.named("backdoorbench")), demo.protocol.protocols());
    }

    @Test
    void a_list_parameter_takes_its_axis_values_separated_by_semicolons() {
        SweepCommand command = new SweepCommand();
        new CommandLine(command).parseArgs("--defense", "multi-layer-fine-pruning", "--param",
                "layers=conv_1,conv_2;conv_3", "--model", MODEL, "--data", DATA);
        assertEquals(List.of("defense=multi-layer-fine-pruning,engine=PyTorch,layers=conv_1+conv_2,seed=1",
                "defense=multi-layer-fine-pruning,engine=PyTorch,layers=conv_3,seed=1"),
                command.source.flags.plan().points().stream().map(Point::key).toList());
    }

    @Test
    void networks_attacks_and_poison_rates_are_axes_of_the_fashion_mnist_badnet() {
        SweepCommand command = new SweepCommand();
        new CommandLine(command).parseArgs("--defense", "pruning", "--networks", "small-cnn,wide-cnn", "--attacks",
                "patch,pruning-aware", "--poison-rates", "0.05");
        assertEquals(List.of("attack=patch,defense=pruning,engine=PyTorch,network=small-cnn,poisoning-rate=0.05,seed=1",
                "attack=pruning-aware,defense=pruning,engine=PyTorch,network=small-cnn,poisoning-rate=0.05,seed=1",
                "attack=patch,defense=pruning,engine=PyTorch,network=wide-cnn,poisoning-rate=0.05,seed=1",
                "attack=pruning-aware,defense=pruning,engine=PyTorch,network=wide-cnn,poisoning-rate=0.05,seed=1"),
                command.source.flags.plan().points().stream().map(Point::key).toList());
    }

    @Test
    void subject_axes_with_a_model_are_refused_in_one_line(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("sweep", "--defense", "pruning", "--attacks", "blend", "--model", MODEL, "--data",
                DATA, "--out", tmp.resolve("out").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune sweep: error: the attack axes describe the Fashion-MNIST BadNet; a lab subject "
                + "(--model) is one BadNet file\n", r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pruning|epochs=1,2|defense 'pruning' has no parameter 'epochs'; its parameters: ",
        "pruning,fine-tuning|layers=conv_1|no defense of [pruning, fine-tuning] has a parameter 'layers'",
        "pruning|drop=4,100|drop",
        "no-such-defense|drop=4|no-such-defense"})
    void a_parameter_or_value_or_defense_not_allowed_is_refused_in_one_line_before_any_work(String defenses,
            String param, String message, @TempDir Path tmp) {
        CliRunner r = CliRunner.run("sweep", "--defense", defenses, "--param", param, "--model", MODEL,
                "--data", DATA, "--out", tmp.resolve("out").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.out());
        assertTrue(r.err().startsWith("fineprune sweep: error: "), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void a_layer_that_is_not_a_convolution_of_the_model_is_refused_before_the_run_folder_is_made(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("sweep", "--defense", "pruning", "--model", MODEL, "--data", DATA,
                "--param", "layer=conv_3,fc_1", "--device", "cpu", "--out", tmp.resolve("out").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("fc_1"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void a_training_set_detector_on_the_lab_model_is_refused_in_one_line_before_the_run_folder_is_made(
            @TempDir Path tmp) {
        CliRunner r = CliRunner.run("sweep", "--defense", "spectral-signatures,activation-clustering", "--model", MODEL,
                "--data", DATA, "--device", "cpu", "--out", tmp.resolve("out").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune sweep: error: defense 'spectral-signatures' inspects the BadNet's training set, and a "
                + "lab subject (--model) has none: run it on the Fashion-MNIST BadNet (no --model)\n", r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void a_report_the_user_wrote_stops_the_sweep_before_it_runs(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("mine"));
        Path report = Files.writeString(out.resolve("report.md"), "my report");
        CliRunner r = CliRunner.run("sweep", "--model", SharedCsaw.file("models/bd_weights.h5").toString(),
                "--data", DATA, "--defense", "pruning", "--param", "drop=2", "--device", "cpu",
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
        CliRunner r = CliRunner.run("sweep", "--file", "x.yaml", "--defense", "pruning", "--model", "m.h5", "--data", "d");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
    }

    @Test
    void flags_without_the_defense_axis_are_refused_naming_it() {
        CliRunner r = CliRunner.run("sweep", "--model", "m.h5", "--data", "d");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Missing required argument(s): --defense=D,..."), r.err());
        assertEquals("", r.out());
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
        CliRunner r = CliRunner.run("sweep", "--name", "..", "--defense", "pruning", "--model", tmp.resolve("m.h5").toString(),
                "--data", tmp.resolve("d").toString(), "--out", tmp.resolve("out").toString());

        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("experiment name must be a plain file name"), r.err());
        assertTrue(r.err().contains("got '..'"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }
}
