package org.fineprune.cli;

import static org.fineprune.cli.EvaluateCommandTest.csaw;
import static org.fineprune.cli.EvaluateCommandTest.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fineprune.core.testing.RealData;
import org.fineprune.data.mnist.FashionMnist;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.Point;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.Records;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code fineprune compare} on the real lab3 BadNet (DeepID) and its small data files, fine-tuning
 * for one epoch: a sweep over the four defenses whose {@code results.jsonl} {@code reproduce}
 * replays, its output folder's rule, and its errors on bad input.
 */
@Tag("real-data")
class CompareCommandTest {
    private static final List<String> DEFENSES =
            List.of("fine-tuning", "pruning", "fine-pruning", "multi-layer-fine-pruning");
    /**
     * Channels of conv_3 (the layer the lab prunes, ranked by pool_3) that pruning removes to first
     * lose 4 points of validation accuracy; {@code prune --drops 4} gives the same.
     */
    private static final int PRUNED_AT_DROP_4 = 48;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    private static Path out;
    private static CliRunner first;
    private static List<PointRecord> records;

    @BeforeAll
    static void compareOnce() throws Exception {
        out = shared.resolve("lab");
        long start = System.nanoTime();
        first = compare(out);
        System.out.printf(Locale.ROOT, "[compare] %.1f s%n%s", (System.nanoTime() - start) / 1e9, first.out());
        assertEquals(0, first.exitCode(), first.err());
        records = Records.read(out);
    }

    static CliRunner compare(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("compare", "--model", model(), "--valid", csaw("data/cl/valid.h5"),
                "--test", csaw("data/cl/test.h5"), "--poisoned", csaw("data/bd/bd_test.h5"), "--epochs", "1",
                "--batch-size", "16", "--seeds", "1", "--out", dir.toString()));
        if (!List.of(extra).contains("--drop")) {
            args.addAll(List.of("--drop", "4"));   // the lab's threshold, not the defenses' default
        }
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void records_one_point_per_defense_in_the_papers_order_differing_from_a_sweep_only_in_axes() {
        assertEquals(DEFENSES.stream().map(d -> "defense=" + d + ",engine=PyTorch,seed=1").toList(),
                records.stream().map(PointRecord::point).toList());
        for (PointRecord r : records) {
            assertEquals(PointRecord.SCHEMA, r.schema(), r.point());
            assertEquals("compare", r.experiment());
            assertEquals(4, r.hashes().size(), "the BadNet and three data files: " + r.hashes());
            assertEquals(100.0, r.metrics().badnet().cleanAccuracy(), r.point());
        }
        assertEquals(1, records.get(0).config().defense().settings().get("epochs"), "--epochs 1 is the setting epochs");
        assertEquals(4.0, records.get(1).config().defense().settings().get("drop"), "--drop 4 is the setting drop");
    }

    @Test
    void pruning_stops_at_the_4_point_drop() {
        Map<?, ?> pruned = (Map<?, ?>) records.get(1).diagnostics().get("prunedChannels");
        assertEquals(PRUNED_AT_DROP_4, ((List<?>) pruned.get("conv_3")).size(), records.get(1).diagnostics().toString());
        assertEquals(pruned, records.get(2).diagnostics().get("prunedChannels"),
                "fine-pruning fine-tunes the model pruning chose");
    }

    @Test
    void writes_the_report_and_prints_it() throws Exception {
        String report = Files.readString(out.resolve("report.md"));
        assertEquals(report, first.out());
        for (String defense : DEFENSES) {
            assertTrue(report.contains(defense), defense + " in\n" + report);
        }
        assertTrue(Files.isRegularFile(out.resolve("summary.csv")));
    }

    @Test
    void reproduce_replays_the_records_and_names_the_point_and_field_of_an_edited_metric(@TempDir Path tmp)
            throws Exception {
        CliRunner replayed = CliRunner.run("reproduce", out.resolve("results.jsonl").toString());
        assertEquals(0, replayed.exitCode(), replayed.out() + replayed.err());
        assertTrue(replayed.out().endsWith("4 of 4 points reproduced\n"), replayed.out());

        String pruning = Files.readAllLines(out.resolve("results.jsonl")).get(1);
        ObjectNode record = (ObjectNode) JSON.readTree(pruning);
        double recorded = record.at("/metrics/repaired/clean_accuracy").asDouble();
        ((ObjectNode) record.at("/metrics/repaired")).put("clean_accuracy", recorded - 10);
        Path edited = Files.writeString(tmp.resolve("edited.jsonl"), JSON.writeValueAsString(record) + "\n");

        CliRunner mismatch = CliRunner.run("reproduce", edited.toString());
        assertEquals(ReproduceCommand.MISMATCH, mismatch.exitCode(), mismatch.out() + mismatch.err());
        assertTrue(mismatch.out().contains("MISMATCH  defense=pruning,engine=PyTorch,seed=1\n"), mismatch.out());
        assertTrue(mismatch.out().contains("metrics.repaired.clean_accuracy: recorded " + Point.number(recorded - 10)),
                mismatch.out());
    }

    @Test
    void an_unfinished_run_resumes_where_it_stopped(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("resumed");
        List<String> lines = Files.readAllLines(out.resolve("results.jsonl"));
        String firstTwo = lines.get(0) + "\n" + lines.get(1) + "\n";
        // What a run killed after two points leaves: its records so far and an unfinished manifest.
        OutputFolder.claim(dir, "comparison", "results.jsonl"::equals, false).writeString("results.jsonl", firstTwo);

        CliRunner r = compare(dir);

        assertEquals(0, r.exitCode(), r.err());
        List<String> resumed = Files.readAllLines(dir.resolve("results.jsonl"));
        assertEquals(4, resumed.size(), String.join("\n", resumed));
        assertEquals(lines.subList(0, 2), resumed.subList(0, 2), "the recorded points are not run again");
    }

    @Test
    void a_finished_run_is_refused_and_force_starts_its_records_afresh(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("again");
        String pruning = Files.readAllLines(out.resolve("results.jsonl")).get(1);
        ObjectNode record = (ObjectNode) JSON.readTree(pruning);
        ((ObjectNode) record.at("/metrics/repaired")).put("clean_accuracy", 12.5);
        OutputFolder earlier = OutputFolder.claim(dir, "comparison", "results.jsonl"::equals, false);
        earlier.writeString("results.jsonl", JSON.writeValueAsString(record) + "\n");
        earlier.finish();
        Path mine = Files.writeString(dir.resolve("notes.txt"), "my notes");

        CliRunner refused = compare(dir);
        assertEquals(FinepruneCli.INPUT_ERROR, refused.exitCode());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().contains("already holds results") && refused.err().contains("--force"), refused.err());
        assertEquals(1, Files.readAllLines(dir.resolve("results.jsonl")).size());

        CliRunner forced = compare(dir, "--force");
        assertEquals(0, forced.exitCode(), forced.err());
        assertEquals("my notes", Files.readString(mine));
        List<PointRecord> again = Records.read(dir);
        assertEquals(4, again.size());
        assertNotEquals(12.5, again.get(1).metrics().repaired().cleanAccuracy(), "the edited record was replaced");
    }

    @Test
    void records_it_did_not_write_are_refused_even_with_force(@TempDir Path tmp) throws Exception {
        Path results = Files.writeString(tmp.resolve("results.jsonl"), "the user's records\n");
        CliRunner refused = compare(tmp, "--force");
        assertEquals(FinepruneCli.INPUT_ERROR, refused.exitCode());
        assertEquals("fineprune compare: error: " + results + ": not written by fineprune comparison; move it away or "
                + "choose another --out", refused.err().strip());
        assertEquals("the user's records\n", Files.readString(results));
    }

    @Test
    void data_options_without_a_model_are_refused(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("compare", "--data", csaw("data"), "--out", tmp.resolve("o").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune compare: error: the data options (--data, --valid, --test, --poisoned) need --model; "
                + "without it the subject is the Fashion-MNIST BadNet of each seed", r.err().strip());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void a_fashion_mnist_badnet_recipe_with_a_model_is_refused(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("compare", "--model", model(), "--data", csaw("data"), "--network", "wide-cnn",
                "--out", tmp.resolve("o").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune compare: error: --network, --attack, --poison-rate and --pruning-aware describe the "
                + "Fashion-MNIST BadNet; with --model the BadNet is that file", r.err().strip());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"--network;resnet-99;resnet-99", "--attack;sunglasses;sunglasses",
        "--poison-rate;1.5;1.5"})
    void a_fashion_mnist_badnet_recipe_that_does_not_exist_is_refused_before_training(String option, String value,
            String named, @TempDir Path tmp) {
        Path cache = tmp.resolve("cache");
        CliRunner r = CliRunner.run("compare", option, value, "--cache", cache.toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("fineprune compare: error: ") && r.err().contains(named), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(cache), "no BadNet was trained");
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void model_without_its_data_files_is_refused(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("compare", "--model", model(), "--out", tmp.resolve("o").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune compare: error: --valid is missing: give --data DIR (the lab's layout) or --valid FILE",
                r.err().strip());
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "--optimizer;rmsprop;rmsprop",
        "--fractions;conv_1=1.5;fractions",
        "--drop;100;drop",
        "--layers;conv_2,conv_9;'conv_9' is not a convolution layer of DeepID",
        "--engine;TensorFlow;TensorFlow"})
    void bad_settings_are_refused_in_one_line_writing_nothing(String option, String value, String message,
            @TempDir Path tmp) {
        CliRunner r = compare(tmp.resolve("o"), option, value);
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("fineprune compare: error: "), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("o")), "nothing is written on bad input");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"--drop;100;drop", "--layers;conv_3;'conv_3' is not a convolution layer of small-cnn"})
    void fashion_mnist_comparison_refuses_a_setting_before_training_a_badnet(String option, String value,
            String message, @TempDir Path tmp) throws Exception {
        RealData.require(FashionMnist.defaultDir(), "train-labels-idx1-ubyte.gz",
                "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`");
        Path cache = tmp.resolve("cache");
        CliRunner r = CliRunner.run("compare", option, value, "--cache", cache.toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.out());
        assertTrue(r.err().startsWith("fineprune compare: error: ") && r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(cache), "no BadNet was trained");
        assertFalse(Files.exists(tmp.resolve("o")));
    }
}
