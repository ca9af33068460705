package org.fineprune.cli;

import static org.fineprune.cli.EvaluateCommandTest.csaw;
import static org.fineprune.cli.EvaluateCommandTest.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command that reads lab data takes it the same way: {@code --data DIR} or the files. */
class DataOptionsTest {
    private static final List<String> COMMANDS = List.of("prune", "compare", "sweep", "benchmark-pruning", "evaluate");

    /** {@code command} with a model that is never reached: the data options are checked first. */
    private static CliRunner run(String command, Path tmp, String... data) {
        List<String> args = new ArrayList<>(List.of(command, "--model", tmp.resolve("m.h5").toString()));
        if (List.of("prune", "compare").contains(command)) {   // the commands that write to --out
            args.addAll(List.of("--out", tmp.resolve("out").toString()));
        }
        if (command.equals("sweep")) {
            args.addAll(List.of("--defense", "pruning"));
        }
        args.addAll(List.of(data));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prune", "compare", "sweep", "benchmark-pruning", "evaluate"})
    void a_folder_and_a_file_together_are_refused_in_one_line(String command, @TempDir Path tmp) {
        CliRunner r = run(command, tmp, "--data", "d", "--valid", "v.h5", "--test", "t.h5", "--poisoned", "p.h5");
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.err());
        assertEquals("fineprune " + command + ": error: --data d names all the files; drop --valid, --test, "
                + "--poisoned or --data", r.err().strip());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @ParameterizedTest
    @CsvSource({"prune, --test", "compare, --test", "sweep, --test", "evaluate, --test",
            "benchmark-pruning, --valid"})
    void a_file_a_command_needs_is_named_when_missing(String command, String missing, @TempDir Path tmp) {
        List<String> given = new ArrayList<>(List.of("--valid", "v.h5", "--test", "t.h5", "--poisoned", "p.h5"));
        int at = given.indexOf(missing);
        given.subList(at, at + 2).clear();
        CliRunner r = run(command, tmp, given.toArray(String[]::new));
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.err());
        assertEquals("fineprune " + command + ": error: " + missing + " is missing: give --data DIR (the lab's "
                + "layout) or " + missing + " FILE", r.err().strip());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void no_data_at_all_names_the_first_file_needed(@TempDir Path tmp) {
        CliRunner r = run("prune", tmp);
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("fineprune prune: error: --valid is missing: give --data DIR"), r.err());
    }

    @Test
    void a_folder_without_the_lab_layout_names_the_missing_file(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("evaluate", "--model", tmp.resolve("m.h5").toString(), "--data", tmp.toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(": no such file"), r.err());
    }

    @Test
    void every_command_shows_the_one_way_to_give_data_in_its_help() {
        for (String command : COMMANDS) {
            String help = CliRunner.run(command, "--help").out();
            assertTrue(help.contains("Data: --data DIR, or the files --valid, --test, --poisoned"), command + help);
            for (String option : List.of("--data=DIR", "--valid=V.h5", "--test, --clean=T.h5", "--poisoned=P.h5")) {
                assertTrue(help.contains(option), command + " lacks " + option + "\n" + help);
            }
        }
    }

    @Tag("real-data")
    @Test
    void evaluate_gives_the_same_scores_from_the_folder_the_files_and_the_lab_spelling() throws Exception {
        String folder = evaluate("--data", csaw("data"));
        assertEquals(folder, evaluate("--test", csaw("data/cl/test.h5"), "--poisoned", csaw("data/bd/bd_test.h5")));
        assertEquals(folder, evaluate("--clean", csaw("data/cl/test.h5"), "--poisoned", csaw("data/bd/bd_test.h5")));
    }

    private static String evaluate(String... data) throws Exception {
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", model(), "--device", "cpu", "--json"));
        args.addAll(List.of(data));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(56, json.at("/images/clean").asInt());
        assertEquals(71, json.at("/images/poisoned").asInt());
        return json.get("clean_accuracy") + " " + json.get("attack_success_rate");
    }

    @Tag("real-data")
    @Test
    void prune_gives_the_same_results_from_the_folder_and_the_files(@TempDir Path tmp) {
        CliRunner files = PruneCommandTest.prune(tmp.resolve("files"), "--json", "--drops", "4");
        CliRunner folder = CliRunner.run("prune", "--model", model(), "--data", csaw("data"), "--drops", "4",
                "--out", tmp.resolve("folder").toString(), "--json");
        assertEquals(0, folder.exitCode(), folder.err());
        assertEquals(files.out(), folder.out());
    }

    @Tag("real-data")
    @Test
    void benchmark_pruning_takes_the_folder_and_the_file() throws Exception {
        for (List<String> data : List.of(List.of("--data", csaw("data")), List.of("--valid", csaw("data/cl/valid.h5")))) {
            List<String> args = new ArrayList<>(List.of("benchmark-pruning", "--model", model(), "--images", "0",
                    "--rounds", "1", "--device", "cpu", "--json"));
            args.addAll(data);
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(72, new ObjectMapper().readTree(r.out()).get("images").asInt(), "the lab's validation set");
        }
    }

    @Tag("real-data")
    @Test
    void sweep_takes_the_three_files(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("sweep", "--model", model(), "--valid", csaw("data/cl/valid.h5"),
                "--test", csaw("data/cl/test.h5"), "--poisoned", csaw("data/bd/bd_test.h5"), "--defense", "pruning",
                "--param", "drop=2", "--device", "cpu", "--out", tmp.resolve("files").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("1 points run"), r.out());
    }
}
