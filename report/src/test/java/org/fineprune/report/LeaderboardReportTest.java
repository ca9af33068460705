package org.fineprune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.PointRecord.Config;
import org.fineprune.experiments.PointRecord.DetectorScores;
import org.fineprune.experiments.PointRecord.Scores;
import org.fineprune.experiments.Subject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leaderboard of a run over subject axes, from hand-made records of the wide CNN under the patch
 * and blend attacks: one row per BadNet and defense, means and sample standard deviations over three
 * seeds checked by hand.
 */
class LeaderboardReportTest {
    @TempDir
    Path runDir;

    /** {@code record} moved onto the BadNet of {@code network} and {@code attack}: its key and subject. */
    private static PointRecord on(String network, String attack, PointRecord record) {
        SortedMap<String, String> pairs = PointKeys.pairs(record.point());
        pairs.put("network", network);
        pairs.put("attack", attack);
        Subject subject = SweepFixture.FASHION.along(new TreeMap<>(Map.of("network", network, "attack", attack)));
        Config config = record.config();
        return new PointRecord(record.schema(), "leaderboard", PointKeys.join(pairs), record.seed(),
                new Config(subject, config.defense(), config.engine(), config.device()), record.environment(),
                record.hashes(), record.metrics(), record.diagnostics(), record.pruningSteps(), record.timings());
    }

    /** Fine-pruning and STRIP on two BadNets, seeds 1 to 3. */
    private static List<PointRecord> records() {
        List<PointRecord> records = new ArrayList<>();
        for (String attack : List.of("patch", "blend")) {
            double shift = attack.equals("blend") ? -10 : 0;
            for (int seed = 1; seed <= 3; seed++) {
                records.add(on("wide-cnn", attack, SweepFixture.other(SweepFixture.FASHION, "fine-pruning", Map.of(),
                        List.of(), "PyTorch", seed, new Scores(95.0, 88.0 + 2 * seed + shift, seed - 1.0,
                                75.0 + 5 * seed))));
                records.add(on("wide-cnn", attack, SweepFixture.detectorOnly(SweepFixture.FASHION, "strip", "PyTorch",
                        seed, new DetectorScores(80.0 + seed, 4.0 * seed, 5.0, 90.0, 0.9), 30.0)));
            }
        }
        return records;
    }

    @Test
    void one_row_per_badnet_and_defense_with_means_and_sample_deviations_over_seeds() throws IOException {
        SweepFixture.write(runDir, records());

        ReportFiles files = SweepReport.write(runDir);

        String board = Files.readString(files.leaderboard());
        assertEquals(runDir.resolve("leaderboard.md"), files.leaderboard());
        List<String> rows = board.lines().filter(l -> l.startsWith("| wide-cnn")).toList();
        // fine-pruning on patch: clean 90, 92, 94 (mean 92, sd 2); attack 0, 1, 2 (1, 1); robust 80, 85, 90
        // (85, 5); seconds 11, 12, 13 (12, 1). On blend the clean accuracy is 10 points lower.
        // STRIP's detector: clean 81, 82, 83 (82, 1); attack 4, 8, 12 (8, 4); 5 seconds each.
        assertEquals(List.of(
                "| wide-cnn | blend | none (the BadNet) | 98.62 ± 0.00 | 100.00 ± 0.00 | 0.40 ± 0.00 | – | 3 |",
                "| wide-cnn | blend | fine-pruning | 82.00 ± 2.00 | 1.00 ± 1.00 | 85.00 ± 5.00 | 12.00 ± 1.00 | 3 |",
                "| wide-cnn | blend | strip (input detector) | 82.00 ± 1.00 | 8.00 ± 4.00 | – | 5.00 ± 0.00 | 3 |",
                "| wide-cnn | patch | none (the BadNet) | 98.62 ± 0.00 | 100.00 ± 0.00 | 0.40 ± 0.00 | – | 3 |",
                "| wide-cnn | patch | fine-pruning | 92.00 ± 2.00 | 1.00 ± 1.00 | 85.00 ± 5.00 | 12.00 ± 1.00 | 3 |",
                "| wide-cnn | patch | strip (input detector) | 82.00 ± 1.00 | 8.00 ± 4.00 | – | 5.00 ± 0.00 | 3 |"),
                rows);
        assertTrue(board.contains("| network | attack | defense | clean acc | attack success | robust acc | defense s "
                + "| seeds |"), board);
        assertTrue(board.contains("sample standard deviation (divisor n - 1)"), board);
        assertTrue(board.contains("(plots/clean_vs_attack.png)"), board);
        assertTrue(Files.readString(files.report()).contains("[leaderboard.md](leaderboard.md)"));
        assertTrue(files.all().contains(files.leaderboard()));
    }

    @Test
    void the_report_has_a_badnet_row_per_recipe_of_the_subject_axes() throws IOException {
        SweepFixture.write(runDir, records());
        Table table = Table.of(records());
        assertEquals(List.of(Map.of("attack", "blend", "network", "wide-cnn"),
                Map.of("attack", "patch", "network", "wide-cnn")),
                table.badNets().stream().map(SummaryRow::axes).toList());
        String report = Files.readString(SweepReport.write(runDir).report());
        assertTrue(report.contains("| none (the BadNet) | blend | wide-cnn | PyTorch | 3 |"), report);
    }

    @Test
    void a_run_without_subject_axes_has_no_leaderboard() throws IOException {
        SweepFixture.write(runDir, List.of(SweepFixture.other(SweepFixture.FASHION, "fine-pruning", Map.of(),
                List.of(), "PyTorch", 1, new Scores(95.0, 90.0, 1.0, 80.0))));
        ReportFiles files = SweepReport.write(runDir);
        assertNull(files.leaderboard());
        assertFalse(Files.exists(runDir.resolve("leaderboard.md")));
        assertFalse(Files.readString(files.report()).contains("leaderboard"));
    }
}
