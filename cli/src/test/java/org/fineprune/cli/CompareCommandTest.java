package org.fineprune.cli;

import static org.fineprune.cli.EvaluateCommandTest.csaw;
import static org.fineprune.cli.EvaluateCommandTest.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fineprune.core.testing.RealData;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.reproducibility.FileHashes;
import org.fineprune.reproducibility.RunRecord;
import org.fineprune.data.mnist.FashionMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code fineprune compare} on the real lab3 BadNet (DeepID) and its small data files, fine-tuning
 * for one epoch so that a run takes about a minute on two cores, and its errors on bad input.
 */
@Tag("real-data")
class CompareCommandTest {
    private static final List<String> DEFENSES =
            List.of("fine-tuning", "pruning", "fine-pruning", "multi-layer fine-pruning");
    /**
     * Channels of conv_3 (the layer the lab prunes, ranked by pool_3) that pruning removes to first
     * lose 4 points of validation accuracy; {@code prune --drops 4} gives the same.
     */
    private static final int PRUNED_AT_DROP_4 = 48;

    @TempDir
    static Path shared;

    private static Path out;
    private static CliRunner first;
    private static String markdown;
    private static List<String> csv;

    @BeforeAll
    static void compareOnce() throws Exception {
        out = shared.resolve("lab");
        long start = System.nanoTime();
        first = compare(out);
        System.out.printf(Locale.ROOT, "[compare] %.1f s%n%s", (System.nanoTime() - start) / 1e9, first.out());
        assertEquals(0, first.exitCode(), first.err());
        markdown = Files.readString(out.resolve("comparison.md"));
        csv = Files.readAllLines(out.resolve("comparison.csv"));
    }

    static CliRunner compare(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("compare", "--model", model(), "--valid", csaw("data/cl/valid.h5"),
                "--test", csaw("data/cl/test.h5"), "--poisoned", csaw("data/bd/bd_test.h5"), "--epochs", "1",
                "--batch-size", "16", "--out", dir.toString()));
        if (!List.of(extra).contains("--drop")) {
            args.addAll(List.of("--drop", "4"));   // the lab's threshold, not the Fashion-MNIST default
        }
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void table_has_the_badnet_and_the_four_defenses_in_the_papers_order() {
        List<String> rows = tableRows(first.out());
        assertEquals(5, rows.size(), first.out());
        assertEquals("none (the BadNet B)", cells(rows.get(0))[0]);
        assertEquals(DEFENSES, rows.subList(1, 5).stream().map(r -> cells(r)[0]).toList());
        for (String row : rows) {
            assertEquals(12, cells(row).length, row);
        }
    }

    @Test
    void badnet_row_shows_the_perfect_lab3_badnet() {
        // The lab3 BadNet is right on all 72 validation and 56 clean test images, and sends all 71 poisoned ones to 0.
        // bd_test.h5 holds no true classes of its triggered images: robust accuracy stays blank, never a number.
        assertEquals("| none (the BadNet B) | 0 | 100.00 | 100.00 | 0 | 100.00 |  |  |  |  |  |  |",
                row(first.out(), "none (the BadNet B)"));
    }

    @Test
    void defense_cells_agree_with_the_csv() {
        for (int i = 0; i < DEFENSES.size(); i++) {
            String[] cells = cells(row(first.out(), DEFENSES.get(i)));
            String[] fields = csv.get(i + 1).split(",");
            assertEquals(fields[2], cells[1], DEFENSES.get(i) + " pruned");
            for (int c = 2; c <= 10; c++) {
                String expected = fields[c + 1].isEmpty() ? ""
                        : String.format(Locale.ROOT, "%.2f", Double.parseDouble(fields[c + 1]));
                assertEquals(expected, cells[c], DEFENSES.get(i) + " column " + c);
            }
            assertEquals("", cells[6], DEFENSES.get(i) + " robust acc of a lab BadNet");
        }
    }

    @Test
    void csv_has_one_row_per_defense_and_pruning_stops_at_the_4_point_drop() throws Exception {
        assertEquals("seed,defense,pruned,valid_acc,clean_acc,clean_drop,attack_success,robust_acc,goodnet_clean_acc,"
                + "goodnet_attack_success,goodnet_poisoned_flagged,goodnet_clean_flagged,seconds", csv.get(0));
        assertEquals(5, csv.size(), String.join("\n", csv));
        assertEquals(DEFENSES, csv.subList(1, 5).stream().map(l -> l.split(",")[1]).toList());
        assertTrue(csv.subList(1, 5).stream().allMatch(l -> l.startsWith("1,")), String.join("\n", csv));
        String[] fineTuning = csv.get(1).split(",");
        String[] pruning = csv.get(2).split(",");
        String[] finePruning = csv.get(3).split(",");
        assertEquals("0", fineTuning[2]);
        assertEquals(String.valueOf(PRUNED_AT_DROP_4), pruning[2]);
        assertEquals(pruning[2], finePruning[2], "fine-pruning fine-tunes the model pruning chose");
        // B is right on all 72 validation images; 47 channels pruned leave 70 (97.22%), 48 leave 67 (93.06%).
        assertEquals("93.0556", pruning[3]);
        assertTrue(Integer.parseInt(csv.get(4).split(",")[2]) > 0, csv.get(4));

        Path check = shared.resolve("prune-conv3");
        CliRunner prune = CliRunner.run("prune", "--model", model(), "--valid", csaw("data/cl/valid.h5"),
                "--test", csaw("data/cl/test.h5"), "--poisoned", csaw("data/bd/bd_test.h5"), "--layer", "conv_3",
                "--drops", "4", "--out", check.toString(), "--json");
        assertEquals(0, prune.exitCode(), prune.err());
        assertEquals(PRUNED_AT_DROP_4,
                new ObjectMapper().readTree(prune.out()).get("thresholds").get(0).get("pruned").asInt());
    }

    @Test
    void writes_the_markdown_it_printed_with_the_settings() {
        assertTrue(first.out().startsWith(markdown), first.out());
        assertTrue(markdown.startsWith("# Fine-Pruning comparison on bd_weights.h5\n"), markdown);
        assertTrue(markdown.contains("Pruning stops at a 4-point validation accuracy drop"), markdown);
        assertTrue(markdown.contains("fine-tuning: 1 epoch of adam at learning rate 0.001, batch 16, on PyTorch"),
                markdown);
        assertTrue(first.out().contains("Wrote " + out.resolve("comparison.md") + ", " + out.resolve("comparison.csv")
                + " and " + out.resolve("comparison.jsonl")), first.out());
    }

    @Test
    void records_each_seed_with_hashes_and_scores_and_a_rerun_matches_but_for_timings(@TempDir Path tmp)
            throws Exception {
        List<String> lines = Files.readAllLines(out.resolve("comparison.jsonl"));
        assertEquals(1, lines.size());
        RunRecord record = RunRecord.parse(lines.get(0));
        assertEquals("seed=1", record.point());
        java.util.Map<?, ?> hashes = (java.util.Map<?, ?>) record.get("hashes");
        assertEquals(FileHashes.sha256(Path.of(model())), hashes.get(model()));
        assertEquals(4, hashes.size(), "the BadNet and three data files");
        assertEquals(PRUNED_AT_DROP_4, ((List<?>) record.get("metrics.defenses.pruning.pruned_channels.conv_3")).size());
        assertEquals(100.0, record.get("metrics.badnet.clean_accuracy"));
        java.util.Map<?, ?> badNet = (java.util.Map<?, ?>) record.get("metrics.badnet");
        assertTrue(badNet.containsKey("robust_accuracy") && badNet.get("robust_accuracy") == null, badNet.toString());
        assertEquals(null, record.get("metrics.defenses.fine-pruning.robust_accuracy"));
        String[] fineTuning = csv.get(1).split(",");
        assertEquals(Double.parseDouble(fineTuning[4]), (Double) record.get("metrics.defenses.fine-tuning.clean_accuracy"),
                1e-4);
        assertEquals(0.001, record.get("config.fine_tuning.learning_rate"));

        CliRunner again = compare(tmp.resolve("again"));
        assertEquals(0, again.exitCode(), again.err());
        RunRecord rerun = RunRecord.parse(Files.readAllLines(tmp.resolve("again/comparison.jsonl")).get(0));
        assertEquals(record.withoutTimings(), rerun.withoutTimings());
    }

    @Test
    void refuses_earlier_tables_and_force_replaces_only_them(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("again");
        OutputFolder earlier = ComparisonFiles.claim(dir, false);
        earlier.writeString("comparison.md", "an earlier table");
        earlier.writeString("comparison.csv", "seed\n");
        earlier.finish();
        Path mine = Files.writeString(dir.resolve("notes.txt"), "my notes");

        CliRunner refused = compare(dir);
        assertEquals(FinepruneCli.INPUT_ERROR, refused.exitCode());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().contains("already holds results") && refused.err().contains("--force"), refused.err());
        assertEquals("an earlier table", Files.readString(dir.resolve("comparison.md")));

        // Two fine-tuning seeds, and multi-layer pruning of conv_3 alone to keep the run short.
        CliRunner forced = compare(dir, "--force", "--seeds", "1,2", "--layers", "conv_3");
        assertEquals(0, forced.exitCode(), forced.err());
        assertEquals("my notes", Files.readString(mine));
        assertEquals(forced.out().substring(0, forced.out().indexOf("\nWrote ")).stripTrailing(),
                Files.readString(dir.resolve("comparison.md")).stripTrailing());
        List<String> rows = Files.readAllLines(dir.resolve("comparison.csv"));
        assertEquals(9, rows.size(), String.join("\n", rows));
        assertEquals(List.of("1", "1", "1", "1", "2", "2", "2", "2"),
                rows.subList(1, 9).stream().map(l -> l.split(",")[0]).toList());
        // B and pruning involve no seed: the same on both runs, so a spread of 0.
        assertEquals("| none (the BadNet B) | 0 | 100.00 ± 0.00 | 100.00 ± 0.00 | 0 | 100.00 ± 0.00 |  |  |  |  |  |  |",
                row(forced.out(), "none (the BadNet B)"));
        String[] pruning = cells(row(forced.out(), "pruning"));
        assertEquals(PRUNED_AT_DROP_4 + ".0 ± 0.0", pruning[1]);
        assertEquals("93.06 ± 0.00", pruning[2]);
        for (String defense : DEFENSES) {
            String[] cells = cells(row(forced.out(), defense));
            assertEquals("", cells[6], defense + " robust acc of a lab BadNet");
            for (int c : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 10, 11}) {
                assertTrue(cells[c].matches("-?\\d+\\.\\d+ ± \\d+\\.\\d+"), defense + " column " + c + ": " + cells[c]);
            }
        }
        assertTrue(forced.out().contains("over 2 seeds (1, 2)"), forced.out());
        assertTrue(forced.out().contains("multi-layer pruning: conv_3, one global ranking"), forced.out());
        assertEquals(String.valueOf(PRUNED_AT_DROP_4), rows.get(8).split(",")[2],
                "multi-layer pruning of conv_3 alone prunes what pruning does");
    }

    @Test
    void tables_it_did_not_write_are_refused_even_with_force(@TempDir Path tmp) throws Exception {
        Path table = Files.writeString(tmp.resolve("comparison.md"), "the user's table");
        CliRunner refused = compare(tmp, "--force");
        assertEquals(FinepruneCli.INPUT_ERROR, refused.exitCode());
        assertEquals("fineprune compare: error: " + table + ": not written by fineprune comparison; move it away or "
                + "choose another --out", refused.err().strip());
        assertEquals("the user's table", Files.readString(table));
    }

    @Test
    void a_lab_folder_gives_the_rows_of_the_three_files(@TempDir Path tmp) throws Exception {
        CliRunner r = CliRunner.run("compare", "--model", model(), "--data", csaw("data"), "--epochs", "1",
                "--batch-size", "16", "--drop", "4", "--out", tmp.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(withoutSeconds(csv), withoutSeconds(Files.readAllLines(tmp.resolve("comparison.csv"))));
    }

    /** The CSV rows without their last column, the seconds a defense took. */
    private static List<String> withoutSeconds(List<String> rows) {
        return rows.stream().map(row -> row.substring(0, row.lastIndexOf(','))).toList();
    }

    @Test
    void data_options_without_a_model_are_refused(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("compare", "--data", csaw("data"), "--out", tmp.resolve("o").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune compare: error: the data options need --model; without it compare runs on "
                + "Fashion-MNIST", r.err().strip());
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
        "--layers;conv_9;'conv_9' is not a convolution layer of DeepID",
        "--layers;conv_3,conv_3;give each layer to prune once",
        "--optimizer;rmsprop;unknown optimizer 'rmsprop'",
        "--fractions;conv_1=1.5;fraction 1.5 of conv_1 is outside (0, 1]",
        "--drop;100;accuracy-drop threshold 100.0 is outside (0, 100)",
        "--engine;TensorFlow;TensorFlow"})
    void bad_settings_are_refused_in_one_line_writing_nothing(String option, String value, String message,
            @TempDir Path tmp) {
        CliRunner r = compare(tmp.resolve("o"), option, value);
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.out());
        assertTrue(r.err().startsWith("fineprune compare: error: "), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("o")), "nothing is written on bad input");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "--fractions;conv_1=1.5;fraction 1.5 of conv_1 is outside (0, 1]",
        "--fractions;conv_1=0;fraction 0.0 of conv_1 is outside (0, 1]",
        "--layers;conv_2,conv_2;give each layer to prune once",
        "--drop;0;accuracy-drop threshold 0.0 is outside (0, 100)"})
    void multi_layer_settings_are_checked_when_the_settings_are_built(String option, String value, String message) {
        CompareCommand command = new CompareCommand();
        new CommandLine(command).parseArgs(option, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> command.defense.config("PyTorch", 1));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void fashion_mnist_comparison_refuses_a_layer_before_training_a_badnet(@TempDir Path tmp) throws Exception {
        RealData.require(FashionMnist.defaultDir(), "train-labels-idx1-ubyte.gz",
                "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`");
        Path cache = tmp.resolve("cache");
        // The small CNN has conv_1 and conv_2 only.
        CliRunner r = CliRunner.run("compare", "--layers", "conv_3", "--cache", cache.toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.out());
        assertTrue(r.err().contains("'conv_3' is not a convolution layer"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(cache), "no BadNet was trained");
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    // ---- helpers ----

    /** The Markdown table's rows below its header and separator. */
    static List<String> tableRows(String out) {
        return out.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| defense |")).toList();
    }

    /** The row of {@code label}, which must occur once. */
    static String row(String out, String label) {
        List<String> rows = out.lines().filter(l -> l.startsWith("| " + label + " |")).toList();
        assertEquals(1, rows.size(), out);
        return rows.get(0);
    }

    /** A Markdown row's cells, trimmed. */
    static String[] cells(String row) {
        return Arrays.stream(row.substring(1, row.length() - 1).split("\\|", -1)).map(String::strip)
                .toArray(String[]::new);
    }
}
