package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fineprune.core.testing.BadNetCache;
import org.fineprune.core.testing.RealData;
import org.fineprune.data.mnist.FashionMnist;
import org.fineprune.reproducibility.RunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fineprune demo} on Fashion-MNIST with every setting at its default. It reuses the default
 * BadNet that the attacks module's test leaves in the build's {@link BadNetCache}; run on its own, it
 * trains that BadNet first (a few minutes on two cores). The defenses' own numbers are not pinned
 * here, as their defaults may still be tuned: only the table's shape, the BadNet's known scores and
 * that fine-pruning weakens the backdoor.
 */
@Tag("real-data")
class DemoCommandTest {
    private static final List<String> DEFENSES =
            List.of("fine-tuning", "pruning", "fine-pruning", "multi-layer fine-pruning");

    @TempDir
    static Path shared;

    private static Path out;
    private static CliRunner demo;

    @BeforeAll
    static void runTheDemoOnce() {
        RealData.require(FashionMnist.defaultDir(), "train-labels-idx1-ubyte.gz",
                "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`");
        out = shared.resolve("demo");
        long start = System.nanoTime();
        demo = CliRunner.run("demo", "--cache", BadNetCache.dir().toString(), "--out", out.toString());
        System.out.printf(Locale.ROOT, "[demo] %.1f s%n%s", (System.nanoTime() - start) / 1e9, demo.out());
        assertEquals(0, demo.exitCode(), demo.err());
    }

    @Test
    void badnet_row_has_the_default_badnets_known_scores() {
        // 9062 of the 10,000 clean test images right; 8994 of the 9,000 triggered ones sent to class 0.
        String[] none = cells(row("none (the BadNet B)"));
        assertEquals("0", none[1]);
        assertEquals("90.62", none[3]);
        assertEquals("0", none[4]);
        assertEquals("99.93", none[5]);
        double valid = Double.parseDouble(none[2]);
        assertTrue(valid > 85 && valid <= 100, "B's validation accuracy " + valid);
    }

    @Test
    void every_defense_has_a_row_of_numbers_in_range() {
        List<String> rows = demo.out().lines().filter(l -> l.startsWith("| ") && !l.startsWith("| defense |")).toList();
        assertEquals(5, rows.size(), demo.out());
        assertEquals(DEFENSES, rows.subList(1, 5).stream().map(r -> cells(r)[0]).toList());
        for (String defense : DEFENSES) {
            String[] cells = cells(row(defense));
            assertEquals(12, cells.length, row(defense));
            double pruned = Double.parseDouble(cells[1]);
            assertTrue(defense.equals("fine-tuning") ? pruned == 0 : pruned >= 1, defense + " pruned " + pruned);
            for (int i = 2; i <= 10; i++) {
                double percent = Double.parseDouble(cells[i]);
                // column 4 is the clean drop, which is negative when a defense improves accuracy
                double low = i == 4 ? -100 : 0;
                assertTrue(percent >= low && percent <= 100, defense + " column " + i + ": " + percent);
            }
            assertTrue(Double.parseDouble(cells[11]) >= 0, defense + " seconds " + cells[11]);
        }
    }

    @Test
    void robust_accuracy_and_attack_success_share_the_triggered_images() {
        // No triggered image is of the target class, so it cannot count both as an attack hit and as its true class.
        for (String label : List.of("none (the BadNet B)", "fine-tuning", "pruning", "fine-pruning",
                "multi-layer fine-pruning")) {
            String[] cells = cells(row(label));
            double attack = Double.parseDouble(cells[5]);
            double robust = Double.parseDouble(cells[6]);
            assertTrue(robust >= 0 && attack + robust <= 100.01, label + ": attack " + attack + ", robust " + robust);
        }
    }

    @Test
    void fine_pruning_weakens_the_backdoor() {
        double badNet = Double.parseDouble(cells(row("none (the BadNet B)"))[5]);
        double finePruned = Double.parseDouble(cells(row("fine-pruning"))[5]);
        assertTrue(finePruned < badNet, "attack success " + finePruned + " after fine-pruning, " + badNet + " before");
    }

    @Test
    void writes_the_markdown_it_printed_and_one_csv_row_per_defense() throws Exception {
        String markdown = Files.readString(out.resolve("comparison.md"));
        assertTrue(markdown.startsWith("# Fine-Pruning comparison on the Fashion-MNIST BadNet\n"), markdown);
        assertTrue(demo.out().startsWith(markdown), demo.out());
        assertTrue(markdown.contains("One seed (1); values in percent"), markdown);
        List<String> csv = Files.readAllLines(out.resolve("comparison.csv"));
        assertEquals(5, csv.size(), String.join("\n", csv));
        assertEquals(DEFENSES, csv.subList(1, 5).stream().map(l -> l.split(",")[1]).toList());
        assertTrue(csv.subList(1, 5).stream().allMatch(l -> l.startsWith("1,")), String.join("\n", csv));
        assertTrue(demo.out().contains("Wrote " + out.resolve("comparison.md")), demo.out());
        List<String> records = Files.readAllLines(out.resolve("comparison.jsonl"));
        assertEquals(1, records.size());
        RunRecord record = RunRecord.parse(records.get(0));
        assertEquals(5, ((java.util.Map<?, ?>) record.get("hashes")).size(), "the BadNet and the four Fashion-MNIST files");
        assertEquals(90.62, (Double) record.get("metrics.badnet.clean_accuracy"), 1e-9);
        assertTrue(record.get("metrics.badnet.robust_accuracy") instanceof Double, record.toString());
    }

    @Test
    void without_fashion_mnist_it_says_how_to_get_it(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRunner r = CliRunner.run("demo", "--fashion-mnist", empty.toString(), "--cache", tmp.resolve("cache").toString(),
                "--out", tmp.resolve("out").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().startsWith("fineprune demo: error: "), r.err());
        assertTrue(r.err().contains("apt-get install dataset-fashion-mnist"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing is written without data");
    }

    /** The table row of {@code label} in the demo's output. */
    private static String row(String label) {
        List<String> rows = demo.out().lines().filter(l -> l.startsWith("| " + label + " |")).toList();
        assertEquals(1, rows.size(), demo.out());
        return rows.get(0);
    }

    /** A Markdown row's cells, trimmed. */
    private static String[] cells(String row) {
        return Arrays.stream(row.substring(1, row.length() - 1).split("\\|", -1)).map(String::strip)
                .toArray(String[]::new);
    }
}
