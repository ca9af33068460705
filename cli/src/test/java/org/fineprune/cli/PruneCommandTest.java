package org.fineprune.cli;

import static org.fineprune.cli.EvaluateCommandTest.csaw;
import static org.fineprune.cli.EvaluateCommandTest.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.fineprune.core.DeepId;
import org.fineprune.experiments.OutputFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code fineprune prune} and {@code classify --repaired} on the real lab3 BadNet and data. */
@Tag("real-data")
class PruneCommandTest {
    @TempDir
    static Path shared;

    private static Path out;
    private static JsonNode result;

    @BeforeAll
    static void pruneOnce() throws Exception {
        out = shared.resolve("lab");
        CliRunner r = prune(out, "--json");
        assertEquals(0, r.exitCode(), r.err());
        result = new ObjectMapper().readTree(r.out());
    }

    static CliRunner prune(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("prune", "--model", model(), "--valid", csaw("data/cl/valid.h5"),
                "--test", csaw("data/cl/test.h5"), "--poisoned", csaw("data/bd/bd_test.h5"), "--out", dir.toString()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void json_has_the_documented_keys() {
        assertEquals(Set.of("baseline", "order", "curve", "thresholds", "layer", "ranking_layer", "rule"), keys(result));
        assertEquals(Set.of("valid_accuracy", "clean_accuracy", "attack_success_rate"), keys(result.get("baseline")));
        JsonNode first = result.get("thresholds").get(0);
        assertEquals(Set.of("drop", "reached", "pruned", "valid_accuracy", "repaired", "goodnet"), keys(first));
        assertEquals(Set.of("clean_accuracy", "attack_success_rate"), keys(first.get("repaired")));
        assertEquals(Set.of("clean_accuracy", "attack_success_rate", "poisoned_flagged", "clean_flagged"),
                keys(first.get("goodnet")));
        assertEquals("first-over", result.get("rule").asText());
        assertEquals("pool_3", result.get("ranking_layer").asText());
    }

    @Test
    void baseline_is_the_perfect_badnet_and_every_channel_is_pruned_once() {
        JsonNode baseline = result.get("baseline");
        assertEquals(100.0, baseline.get("valid_accuracy").asDouble());
        assertEquals(100.0, baseline.get("clean_accuracy").asDouble());
        assertEquals(100.0, baseline.get("attack_success_rate").asDouble());
        List<Integer> order = new ArrayList<>();
        result.get("order").forEach(c -> order.add(c.asInt()));
        assertEquals(IntStream.range(0, 60).boxed().toList(), order.stream().sorted().toList());
        assertEquals(60, result.get("curve").size());
        assertEquals(0.0, result.get("curve").get(59).asDouble(), "all of conv_3 pruned leaves nothing");
    }

    @Test
    void thresholds_follow_the_curve_with_the_lab_rule() {
        JsonNode curve = result.get("curve");
        int previous = 0;
        for (JsonNode t : result.get("thresholds")) {
            int pruned = t.get("pruned").asInt();
            double drop = t.get("drop").asDouble();
            assertTrue(pruned > previous, "more pruning for a larger drop");
            assertTrue(100.0 - curve.get(pruned - 1).asDouble() >= drop);
            assertEquals(curve.get(pruned - 1).asDouble(), t.get("valid_accuracy").asDouble());
            JsonNode g = t.get("goodnet");
            assertTrue(g.get("attack_success_rate").asDouble() + g.get("poisoned_flagged").asDouble() <= 100.0 + 1e-9);
            previous = pruned;
        }
        List<Double> drops = new ArrayList<>();
        result.get("thresholds").forEach(t -> drops.add(t.get("drop").asDouble()));
        assertEquals(List.of(2.0, 4.0, 10.0, 30.0), drops);
    }

    @Test
    void writes_models_channels_curve_and_tables() throws Exception {
        for (String name : List.of("result.json", "curve.csv", "table.csv", "table.md", "repaired_drop_2.h5",
                "repaired_drop_2.json", "repaired_drop_30.h5")) {
            assertTrue(Files.isRegularFile(out.resolve(name)), name);
        }
        assertEquals(61, Files.readAllLines(out.resolve("curve.csv")).size() - 1);
        assertEquals(5, Files.readAllLines(out.resolve("table.csv")).size());
        assertTrue(Files.readString(out.resolve("table.md")).contains("rule `first-over`"));
        JsonNode channels = new ObjectMapper().readTree(out.resolve("repaired_drop_2.json").toFile());
        assertEquals(result.get("thresholds").get(0).get("pruned").asInt(), channels.get("pruned_channels").size());
        try (HdfFile hdf = new HdfFile(out.resolve("repaired_drop_2.h5"))) {
            assertTrue(hdf.getChildren().containsKey("conv_3"), "weights-only layout like the input");
        }
    }

    @Test
    void goodnet_on_the_command_line_flags_what_the_report_counts() throws Exception {
        Path repaired = out.resolve("repaired_drop_10.h5");
        List<String> args = new ArrayList<>(List.of("classify", "--model", model(), "--repaired", repaired.toString()));
        try (var files = Files.list(Path.of(csaw("images/poisoned_sunglasses")))) {
            files.sorted().forEach(f -> args.add(f.toString()));
        }
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        List<Integer> classes = r.out().lines().map(l -> Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1))).toList();
        assertEquals(args.size() - 5, classes.size());
        assertTrue(classes.stream().allMatch(c -> c == 0 || c == DeepId.CLASSES),
                "B says 0 for every poisoned face, so G says 0 or flags: " + classes);
        assertTrue(classes.contains(DeepId.CLASSES), "the 10% model flags some poisoned faces");
    }

    @Test
    void last_under_keeps_one_channel_fewer(@TempDir Path tmp) throws Exception {
        CliRunner r = prune(tmp.resolve("last"), "--rule", "last-under", "--drops", "2,10", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode other = new ObjectMapper().readTree(r.out());
        assertEquals("last-under", other.get("rule").asText());
        assertEquals(result.get("thresholds").get(0).get("pruned").asInt() - 1,
                other.get("thresholds").get(0).get("pruned").asInt());
        assertEquals(result.get("thresholds").get(2).get("pruned").asInt() - 1,
                other.get("thresholds").get(1).get("pruned").asInt());
    }

    @Test
    void conv_4_is_ranked_by_its_own_activation(@TempDir Path tmp) throws Exception {
        CliRunner r = prune(tmp.resolve("c4"), "--layer", "conv_4", "--drops", "4", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode c4 = new ObjectMapper().readTree(r.out());
        assertEquals("conv_4", c4.get("ranking_layer").asText());
        assertEquals(80, c4.get("order").size());
    }

    @Test
    void refuses_a_folder_with_results_unless_forced(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("again");
        assertEquals(0, prune(dir, "--drops", "2").exitCode());
        Path mine = Files.writeString(dir.resolve("notes.txt"), "my notes");
        CliRunner refused = prune(dir, "--drops", "2");
        assertEquals(FinepruneCli.INPUT_ERROR, refused.exitCode());
        assertTrue(refused.err().contains("already holds results") && refused.err().contains("--force"), refused.err());
        CliRunner forced = prune(dir, "--drops", "4", "--force");
        assertEquals(0, forced.exitCode(), forced.err());
        assertFalse(Files.exists(dir.resolve("repaired_drop_2.h5")), "the earlier run's model is replaced");
        assertTrue(Files.exists(dir.resolve("repaired_drop_4.h5")));
        assertEquals("my notes", Files.readString(mine));
    }

    @Test
    void a_run_cut_off_by_a_crash_is_redone_without_force(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("crashed");
        // What kill -9 leaves: one model written, the next one half way, no completion mark.
        OutputFolder crashed = OutputFolder.claim(dir, "prune", name -> true, false);
        crashed.writeString("repaired_drop_2.json", "{}");
        Files.writeString(dir.resolve(".repaired_drop_2.h5.7a1c.tmp"), "half a model");

        CliRunner rerun = prune(dir, "--drops", "2");
        assertEquals(0, rerun.exitCode(), rerun.err());
        try (HdfFile hdf = new HdfFile(dir.resolve("repaired_drop_2.h5"))) {
            assertTrue(hdf.getChildren().containsKey("conv_3"));
        }
        assertFalse(Files.exists(dir.resolve(".repaired_drop_2.h5.7a1c.tmp")));
        assertTrue(prune(dir, "--drops", "2").err().contains("already holds results"), "finished now");
    }

    @Test
    void results_it_did_not_write_are_refused_even_with_force(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("user"));
        Path curve = Files.writeString(dir.resolve("curve.csv"), "my curve");
        CliRunner r = prune(dir, "--force");
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains(curve + ": not written by fineprune prune"), r.err());
        assertEquals("my curve", Files.readString(curve));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pool_3", "conv_9", "fc_1"})
    void rejects_layers_that_are_not_convolutions(String layer, @TempDir Path tmp) {
        CliRunner r = prune(tmp.resolve("x"), "--layer", layer);
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("'" + layer + "' is not a convolution layer"), r.err());
        assertFalse(Files.exists(tmp.resolve("x")), "nothing is written on bad input");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "100", "-2", "2,150"})
    void rejects_thresholds_outside_0_100(String drops, @TempDir Path tmp) {
        CliRunner r = prune(tmp.resolve("x"), "--drops", drops);
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("outside (0, 100)"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5,5", "2,2.0"})
    void rejects_a_threshold_given_twice_before_writing_anything(String drops, @TempDir Path tmp) {
        CliRunner r = prune(tmp.resolve("x"), "--drops", drops);
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("accuracy-drop thresholds: ") && r.err().contains(" is given twice in "), r.err());
        assertFalse(Files.exists(tmp.resolve("x")), "nothing is written on bad input");
    }

    @Test
    void rejects_a_validation_file_without_labels(@TempDir Path tmp) throws Exception {
        Path unlabelled = tmp.resolve("nolabels.h5");
        try (WritableHdfFile hdf = HdfFile.write(unlabelled)) {
            hdf.putDataset("data", new float[2][3][55][47]);
        }
        List<String> args = List.of("prune", "--model", model(), "--valid", unlabelled.toString(), "--test",
                csaw("data/cl/test.h5"), "--poisoned", csaw("data/bd/bd_test.h5"), "--out", tmp.resolve("o").toString());
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("nolabels.h5") && r.err().contains("label"), r.err());
    }

    @Test
    void rejects_an_unknown_rule(@TempDir Path tmp) {
        CliRunner r = prune(tmp.resolve("x"), "--rule", "middle");
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("unknown rule 'middle'"), r.err());
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        Iterator<String> names = node.fieldNames();
        names.forEachRemaining(keys::add);
        return keys;
    }
}
