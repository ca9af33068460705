package org.fineprune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.fineprune.core.Accuracy;
import org.fineprune.defenses.finepruning.ComparisonReport;
import org.fineprune.defenses.finepruning.Variant;
import org.fineprune.defenses.finepruning.VariantResult;
import org.fineprune.defenses.pruning.Outcome;
import org.fineprune.experiments.comparison.SeedComparison;
import org.junit.jupiter.api.Test;

/**
 * {@link ComparisonTable} on two hand-made seeds whose scores are all out of 100 images, so that
 * every cell can be worked out by hand: the sample standard deviation of two values {@code a, b} is
 * {@code |a - b| / sqrt(2)}, so a gap of 2 gives 1.41, of 4 gives 2.83 and of 10 gives 7.07.
 */
class ComparisonTableTest {
    private static final String TITLE = "Fine-Pruning comparison on a test BadNet";
    private static final List<String> NOTES = List.of("First note.", "Second note.");

    /**
     * Seed 1: B is right on 90 of 100 clean images, the attack succeeds on 99 of 100, B gives 1 of
     * 100 triggered images their true class, 91% on validation.
     */
    private static SeedComparison seed1() {
        return new SeedComparison(1, Path.of("b1.h5"), List.of(), new ComparisonReport(outcome(90, 99), hits(1), 91.0,
                List.of(result(Variant.FINE_TUNING, Map.of(), 89.5, 88, 50, 40, 87, 10, 40, 2, 10),
                        result(Variant.PRUNING, Map.of("conv_2", channels(3)), 87, 86, 20, 60, 85, 5, 60, 4, 2),
                        result(Variant.FINE_PRUNING, Map.of("conv_2", channels(3)), 90, 89, 1, 85, 88, 0, 30, 1, 12),
                        result(Variant.MULTI_LAYER_FINE_PRUNING, layers(1, 2), 88, 87, 3, 84, 86, 1, 20, 3, 20))));
    }

    /** Seed 2: B is right on 92 clean images, the attack succeeds on 97, 3 robust hits, 93% on validation. */
    private static SeedComparison seed2() {
        return new SeedComparison(2, Path.of("b2.h5"), List.of(), new ComparisonReport(outcome(92, 97), hits(3), 93.0,
                List.of(result(Variant.FINE_TUNING, Map.of(), 91.5, 90, 60, 30, 89, 14, 42, 4, 14),
                        result(Variant.PRUNING, Map.of("conv_2", channels(5)), 89, 88, 30, 58, 87, 9, 62, 6, 3),
                        result(Variant.FINE_PRUNING, Map.of("conv_2", channels(5)), 92, 90, 3, 87, 89, 2, 32, 3, 16),
                        result(Variant.MULTI_LAYER_FINE_PRUNING, layers(2, 4), 90, 89, 5, 86, 88, 3, 22, 5, 24))));
    }

    @Test
    void badnet_row_has_the_means_and_sds_of_b_and_no_goodnet_cells() {
        String table = ComparisonTable.table(List.of(seed1(), seed2()));
        assertEquals("| none (the BadNet B) | 0 | 92.00 ± 1.41 | 91.00 ± 1.41 | 0 | 98.00 ± 1.41 | 2.00 ± 1.41 |  |  |  |  |  |",
                line(table, "| none (the BadNet B)"));
    }

    @Test
    void defense_rows_are_mean_plus_minus_sample_sd_over_the_seeds() {
        String table = ComparisonTable.table(List.of(seed1(), seed2()));
        assertEquals("| fine-tuning | 0.0 ± 0.0 | 90.50 ± 1.41 | 89.00 ± 1.41 | 2.00 ± 0.00 | 55.00 ± 7.07 | 35.00 ± 7.07 "
                + "| 88.00 ± 1.41 | 12.00 ± 2.83 | 41.00 ± 1.41 | 3.00 ± 1.41 | 12.0 ± 2.8 |", line(table, "| fine-tuning"));
        assertEquals("| pruning | 4.0 ± 1.4 | 88.00 ± 1.41 | 87.00 ± 1.41 | 4.00 ± 0.00 | 25.00 ± 7.07 | 59.00 ± 1.41 "
                + "| 86.00 ± 1.41 | 7.00 ± 2.83 | 61.00 ± 1.41 | 5.00 ± 1.41 | 2.5 ± 0.7 |", line(table, "| pruning"));
        // The clean drop is each seed's own B minus its B': 90 - 89 = 1 and 92 - 90 = 2.
        assertEquals("| fine-pruning | 4.0 ± 1.4 | 91.00 ± 1.41 | 89.50 ± 0.71 | 1.50 ± 0.71 | 2.00 ± 1.41 | 86.00 ± 1.41 "
                + "| 88.50 ± 0.71 | 1.00 ± 1.41 | 31.00 ± 1.41 | 2.00 ± 1.41 | 14.0 ± 2.8 |", line(table, "| fine-pruning"));
        // Pruned channels count over all layers: 1 + 2 = 3 and 2 + 4 = 6.
        assertEquals("| multi-layer fine-pruning | 4.5 ± 2.1 | 89.00 ± 1.41 | 88.00 ± 1.41 | 3.00 ± 0.00 | 4.00 ± 1.41 | 85.00 ± 1.41 "
                + "| 87.00 ± 1.41 | 2.00 ± 1.41 | 21.00 ± 1.41 | 4.00 ± 1.41 | 22.0 ± 2.8 |",
                line(table, "| multi-layer fine-pruning"));
    }

    @Test
    void table_has_the_header_and_one_row_per_defense_in_the_papers_order() {
        List<String> lines = ComparisonTable.table(List.of(seed1(), seed2())).lines().toList();
        assertEquals("| defense | pruned channels | valid acc | clean acc | clean drop | attack success | robust acc | G clean acc "
                + "| G attack success | G flags poisoned | G flags clean | seconds |", lines.get(0));
        assertEquals("|" + "---|".repeat(12), lines.get(1));
        assertEquals(List.of("none (the BadNet B)", "fine-tuning", "pruning", "fine-pruning", "multi-layer fine-pruning"),
                lines.subList(2, lines.size()).stream().map(l -> l.split(" \\| ")[0].substring(2)).toList());
        for (String row : lines) {
            assertEquals(13, row.chars().filter(c -> c == '|').count(), row);
        }
    }

    @Test
    void one_seed_gives_plain_numbers_without_a_spread() {
        String table = ComparisonTable.table(List.of(seed2()));
        assertEquals("| none (the BadNet B) | 0 | 93.00 | 92.00 | 0 | 97.00 | 3.00 |  |  |  |  |  |", line(table, "| none (the BadNet B)"));
        assertEquals("| fine-pruning | 5 | 92.00 | 90.00 | 2.00 | 3.00 | 87.00 | 89.00 | 2.00 | 32.00 | 3.00 | 16.0 |",
                line(table, "| fine-pruning"));
        assertFalse(table.contains("±"), table);
    }

    @Test
    void markdown_page_has_title_notes_table_and_the_seeds() {
        String page = ComparisonTable.markdown(TITLE, NOTES, List.of(seed1(), seed2()));
        assertTrue(page.startsWith("# " + TITLE + "\n\nFirst note.\nSecond note.\n\n| defense |"), page);
        assertTrue(page.contains(ComparisonTable.table(List.of(seed1(), seed2()))), page);
        assertTrue(page.contains("mean ± sample standard deviation over 2 seeds (1, 2)"), page);
        assertTrue(ComparisonTable.markdown(TITLE, NOTES, List.of(seed2())).contains("One seed (2); values in percent"));
    }

    @Test
    void csv_has_one_full_precision_row_per_seed_and_defense() {
        List<String> lines = ComparisonTable.csv(List.of(seed1(), seed2())).lines().toList();
        assertEquals("seed,defense,pruned,valid_acc,clean_acc,clean_drop,attack_success,robust_acc,goodnet_clean_acc,"
                + "goodnet_attack_success,goodnet_poisoned_flagged,goodnet_clean_flagged,seconds", lines.get(0));
        assertEquals(9, lines.size());
        assertEquals("1,fine-tuning,0,89.5000,88.0000,2.0000,50.0000,40.0000,87.0000,10.0000,40.0000,2.0000,10.0000",
                lines.get(1));
        assertEquals("1,pruning,3,87.0000,86.0000,4.0000,20.0000,60.0000,85.0000,5.0000,60.0000,4.0000,2.0000", lines.get(2));
        assertEquals("2,fine-pruning,5,92.0000,90.0000,2.0000,3.0000,87.0000,89.0000,2.0000,32.0000,3.0000,16.0000",
                lines.get(7));
        assertEquals("2,multi-layer fine-pruning,6,90.0000,89.0000,3.0000,5.0000,86.0000,88.0000,3.0000,22.0000,5.0000,24.0000",
                lines.get(8));
        assertEquals(List.of("1", "1", "1", "1", "2", "2", "2", "2"),
                lines.subList(1, 9).stream().map(l -> l.split(",")[0]).toList());
    }

    @Test
    void a_score_over_no_images_leaves_its_cells_empty() {
        VariantResult empty = new VariantResult(Variant.FINE_TUNING, Map.of(), 90, outcome(90, 99), hits(50),
                outcome(90, 99), new Accuracy(0, 0), new Accuracy(0, 0), 1);
        SeedComparison run = new SeedComparison(3, Path.of("b3.h5"), List.of(), new ComparisonReport(outcome(90, 99),
                hits(1), 91, List.of(empty,
                seed1().report().result(Variant.PRUNING), seed1().report().result(Variant.FINE_PRUNING),
                seed1().report().result(Variant.MULTI_LAYER_FINE_PRUNING))));
        assertEquals("| fine-tuning | 0 | 90.00 | 90.00 | 0.00 | 99.00 | 50.00 | 90.00 | 99.00 |  |  | 1.0 |",
                line(ComparisonTable.table(List.of(run)), "| fine-tuning"));
    }

    @Test
    void a_lab_run_without_true_labels_leaves_robust_accuracy_blank() {
        ComparisonReport report = seed1().report();
        List<VariantResult> unknown = report.variants().stream().map(v -> new VariantResult(v.variant(),
                v.prunedChannels(), v.validAccuracy(), v.repaired(), new Accuracy(0, 0), v.goodNet(),
                v.poisonedFlagged(), v.cleanFlagged(), v.seconds())).toList();
        SeedComparison lab = new SeedComparison(1, Path.of("lab.h5"), List.of(), new ComparisonReport(report.original(),
                new Accuracy(0, 0), report.originalValidAccuracy(), unknown));
        String table = ComparisonTable.table(List.of(lab));
        assertEquals("| none (the BadNet B) | 0 | 91.00 | 90.00 | 0 | 99.00 |  |  |  |  |  |  |",
                line(table, "| none (the BadNet B)"));
        assertEquals("| fine-pruning | 3 | 90.00 | 89.00 | 1.00 | 1.00 |  | 88.00 | 0.00 | 30.00 | 1.00 | 12.0 |",
                line(table, "| fine-pruning"));
        assertEquals("1,fine-pruning,3,90.0000,89.0000,1.0000,1.0000,,88.0000,0.0000,30.0000,1.0000,12.0000",
                ComparisonTable.csv(List.of(lab)).lines().toList().get(3));
    }

    // ---- helpers ----

    private static Outcome outcome(int cleanHits, int attackHits) {
        return new Outcome(new Accuracy(cleanHits, 100), new Accuracy(attackHits, 100));
    }

    private static Accuracy hits(int of100) {
        return new Accuracy(of100, 100);
    }

    /** A result with every score out of 100 images. */
    private static VariantResult result(Variant variant, Map<String, int[]> pruned, double valid, int clean,
            int attack, int robust, int goodClean, int goodAttack, int poisonedFlagged, int cleanFlagged,
            double seconds) {
        return new VariantResult(variant, pruned, valid, outcome(clean, attack), hits(robust),
                outcome(goodClean, goodAttack),
                new Accuracy(poisonedFlagged, 100), new Accuracy(cleanFlagged, 100), seconds);
    }

    private static int[] channels(int count) {
        return IntStream.range(0, count).toArray();
    }

    private static Map<String, int[]> layers(int conv1, int conv2) {
        Map<String, int[]> byLayer = new LinkedHashMap<>();
        byLayer.put("conv_1", channels(conv1));
        byLayer.put("conv_2", channels(conv2));
        return byLayer;
    }

    /** The one line of {@code table} that starts with {@code prefix} followed by " |". */
    private static String line(String table, String prefix) {
        List<String> matches = table.lines().filter(l -> l.startsWith(prefix + " |")).toList();
        assertEquals(1, matches.size(), table);
        return matches.get(0);
    }
}
