package org.fineprune.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.fineprune.core.DataFormatException;
import org.fineprune.experiments.OutputFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SweepReportTest {
    private static final String HEADER = "layer,engine,drop,seeds,pruned_mean,pruned_sd,valid_accuracy_mean,"
            + "repaired_clean_accuracy_mean,repaired_clean_accuracy_sd,repaired_attack_success_rate_mean,"
            + "repaired_attack_success_rate_sd,goodnet_clean_accuracy_mean,goodnet_clean_accuracy_sd,"
            + "goodnet_attack_success_rate_mean,goodnet_attack_success_rate_sd,goodnet_poisoned_flagged_mean,"
            + "goodnet_poisoned_flagged_sd,goodnet_clean_flagged_mean,goodnet_clean_flagged_sd";

    @TempDir
    Path runDir;

    @Test
    void summary_has_one_row_per_layer_engine_drop_sorted_by_layer_engine_drop() throws IOException {
        SweepFixture.write(runDir, SweepFixture.records());

        ReportFiles files = SweepReport.write(runDir);

        assertEquals(runDir.resolve("summary.csv"), files.summary());
        List<String> lines = Files.readAllLines(files.summary());
        assertEquals(HEADER, lines.get(0));
        assertEquals(1 + 2 * 2 * 3, lines.size());
        List<String> keys = lines.subList(1, lines.size()).stream()
                .map(l -> String.join(",", Arrays.asList(l.split(",")).subList(0, 4))).toList();
        assertEquals(List.of("conv_3,MXNet,2,2", "conv_3,MXNet,4,2", "conv_3,MXNet,10,2", "conv_3,PyTorch,2,2",
                "conv_3,PyTorch,4,2", "conv_3,PyTorch,10,2", "conv_4,MXNet,2,2", "conv_4,MXNet,4,2",
                "conv_4,MXNet,10,2", "conv_4,PyTorch,2,2", "conv_4,PyTorch,4,2", "conv_4,PyTorch,10,2"), keys);
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            assertEquals(19, fields.length, line);
            for (int i = 4; i < fields.length; i++) {
                assertTrue(fields[i].matches("\\d+\\.\\d{4}"), "four decimals: " + fields[i] + " in " + line);
            }
        }
    }

    @Test
    void summary_means_and_sample_standard_deviations_match_a_hand_computation() throws IOException {
        List<ObjectNode> records = SweepFixture.records();
        ObjectNode seed1 = SweepFixture.find(records, "conv_3", "PyTorch", 4.0, 1);
        ObjectNode seed2 = SweepFixture.find(records, "conv_3", "PyTorch", 4.0, 2);
        ((ObjectNode) seed1.get("metrics")).put("pruned", 45);
        ((ObjectNode) seed2.get("metrics")).put("pruned", 48);
        ((ObjectNode) seed1.at("/metrics/repaired")).put("clean_accuracy", 95.5);
        ((ObjectNode) seed2.at("/metrics/repaired")).put("clean_accuracy", 92.25);
        ((ObjectNode) seed1.at("/metrics/goodnet")).put("clean_flagged", 1.0);
        ((ObjectNode) seed2.at("/metrics/goodnet")).put("clean_flagged", 4.0);
        SweepFixture.write(runDir, records);

        SweepReport.write(runDir);

        String row = Files.readAllLines(runDir.resolve("summary.csv")).stream()
                .filter(l -> l.startsWith("conv_3,PyTorch,4,")).findFirst().orElseThrow();
        String[] f = row.split(",");
        // pruned: 45 and 48 -> mean 46.5, sd = 3 / sqrt(2) = 2.12132
        assertEquals("46.5000", f[4]);
        assertEquals("2.1213", f[5]);
        // repaired clean accuracy: 95.5 and 92.25 -> mean 93.875, sd = 3.25 / sqrt(2) = 2.29810
        assertEquals("93.8750", f[7]);
        assertEquals("2.2981", f[8]);
        // GoodNet clean flagged: 1 and 4 -> mean 2.5, sd = 3 / sqrt(2)
        assertEquals("2.5000", f[17]);
        assertEquals("2.1213", f[18]);
    }

    @Test
    void one_seed_gives_standard_deviations_of_zero() throws IOException {
        SweepFixture.write(runDir, SweepFixture.records(List.of(2.0, 4.0), List.of("conv_3"), List.of("PyTorch"),
                List.of(7)));

        ReportFiles files = SweepReport.write(runDir);

        List<String> lines = Files.readAllLines(files.summary());
        assertEquals(3, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals("1", f[3]);
            for (int sd : new int[] {5, 8, 10, 12, 14, 16, 18}) {
                assertEquals("0.0000", f[sd], line);
            }
        }
        String report = Files.readString(files.report());
        assertFalse(report.contains("±"), "no ± with one seed");
        assertEquals(List.of("pruning_conv_3.png", "attack_vs_clean.png"),
                files.plots().stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void report_names_experiment_and_axes_and_links_table_csv_and_plots() throws IOException {
        SweepFixture.write(runDir, SweepFixture.records());

        ReportFiles files = SweepReport.write(runDir);

        assertEquals(runDir.resolve("report.md"), files.report());
        String report = Files.readString(files.report(), StandardCharsets.UTF_8);
        assertTrue(report.startsWith("# Sweep report: lab3-pruning\n"), report);
        assertTrue(report.contains("| drop | 2, 4, 10 |"), report);
        assertTrue(report.contains("| engine | MXNet, PyTorch |"), report);
        assertTrue(report.contains("| layer | conv_3, conv_4 |"), report);
        assertTrue(report.contains("| seed | 1, 2 |"), report);
        assertTrue(report.contains("| layer | engine | drop | seeds | pruned |"), report);
        assertEquals(12, report.lines().filter(l -> l.matches("\\| conv_\\d \\| .*")).count(), report);
        assertTrue(report.lines().anyMatch(l -> l.startsWith("| conv_3 | PyTorch | 2 | 2 | ") && l.contains(" ± ")),
                report);
        assertTrue(report.contains("[summary.csv](summary.csv)"), report);
        assertTrue(report.contains("](plots/pruning_conv_3.png)"), report);
        assertTrue(report.contains("](plots/pruning_conv_4.png)"), report);
        assertTrue(report.contains("](plots/attack_vs_clean.png)"), report);
        assertTrue(report.contains("`first-over`"), report);
        assertTrue(report.contains("`pool_3`"), report);
    }

    @Test
    void plots_are_800_by_500_pngs_with_more_than_two_colours() throws IOException {
        SweepFixture.write(runDir, SweepFixture.records());

        ReportFiles files = SweepReport.write(runDir);

        assertEquals(List.of(runDir.resolve("plots/pruning_conv_3.png"), runDir.resolve("plots/pruning_conv_4.png"),
                runDir.resolve("plots/attack_vs_clean.png")), files.plots());
        for (Path plot : files.plots()) {
            BufferedImage image = ImageIO.read(plot.toFile());
            assertNotNull(image, plot + " is not an image");
            assertEquals(800, image.getWidth(), plot.toString());
            assertEquals(500, image.getHeight(), plot.toString());
            assertTrue(colours(image) > 2, plot + " is blank");
        }
    }

    @Test
    void rewrites_its_own_files_and_leaves_everything_else_alone() throws IOException {
        SweepFixture.write(runDir, SweepFixture.records());
        Path notes = Files.writeString(runDir.resolve("notes.txt"), "keep me");
        Files.createDirectories(runDir.resolve("plots"));
        Path other = Files.write(runDir.resolve("plots/other.png"), new byte[] {1, 2, 3});
        byte[] results = Files.readAllBytes(runDir.resolve("results.jsonl"));

        ReportFiles files = SweepReport.write(runDir);
        Files.writeString(files.report(), "stale");
        SweepReport.write(runDir);

        assertEquals("keep me", Files.readString(notes));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(other));
        assertArrayEquals(results, Files.readAllBytes(runDir.resolve("results.jsonl")));
        assertTrue(Files.readString(files.report()).startsWith("# Sweep report"));
        assertEquals(Set.of(".fineprune-report.json", "notes.txt", "plots", "report.md", "results.jsonl",
                "summary.csv"), names(runDir));
        assertEquals(Set.of("other.png", "pruning_conv_3.png", "pruning_conv_4.png", "attack_vs_clean.png"),
                names(runDir.resolve("plots")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"report.md", "summary.csv", "plots/attack_vs_clean.png", "plots/pruning_conv_3.png"})
    void a_file_of_the_reports_name_that_it_did_not_write_is_refused_and_kept(String name) throws IOException {
        SweepFixture.write(runDir, SweepFixture.records());
        Path mine = runDir.resolve(name);
        Files.createDirectories(mine.getParent());
        Files.writeString(mine, "the user's own");

        IOException e = assertThrows(IOException.class, () -> SweepReport.write(runDir));
        assertTrue(e.getMessage().startsWith(mine + ": not written by fineprune report"), e.getMessage());
        assertEquals("the user's own", Files.readString(mine));
        assertFalse(Files.exists(runDir.resolve(name.equals("report.md") ? "summary.csv" : "report.md")));
    }

    @Test
    void an_unfinished_report_is_replaced_and_a_finished_one_only_when_told() throws IOException {
        SweepFixture.write(runDir, SweepFixture.records());
        OutputFolder crashed = SweepReport.claim(runDir, false);
        crashed.writeString("summary.csv", "cut off before the report was written");

        ReportFiles files = SweepReport.write(SweepReport.claim(runDir, false));
        assertTrue(Files.readString(files.summary()).startsWith("layer,"), Files.readString(files.summary()));
        IOException e = assertThrows(IOException.class, () -> SweepReport.claim(runDir, false));
        assertTrue(e.getMessage().contains("already holds results"), e.getMessage());
        SweepReport.write(SweepReport.claim(runDir, true));
    }

    @Test
    void missing_results_file_is_an_error_naming_the_folder() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SweepReport.write(runDir));
        assertEquals(runDir.resolve("results.jsonl").toString(), e.getFile());
        assertTrue(e.getMessage().contains("run folder " + runDir), e.getMessage());
    }

    @Test
    void missing_run_folder_is_an_error_naming_it() {
        Path missing = runDir.resolve("nope");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SweepReport.write(missing));
        assertEquals(missing.toString(), e.getFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "  \n\n"})
    void empty_results_file_is_an_error_naming_the_folder(String content) throws IOException {
        Files.writeString(runDir.resolve("results.jsonl"), content);

        DataFormatException e = assertThrows(DataFormatException.class, () -> SweepReport.write(runDir));
        assertTrue(e.getMessage().contains("no records"), e.getMessage());
        assertTrue(e.getMessage().contains(runDir.toString()), e.getMessage());
        assertFalse(Files.exists(runDir.resolve("report.md")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"config\": ", "not json", "[1, 2]", "{\"a\": 1} {\"b\": 2}"})
    void malformed_line_is_an_error_naming_file_and_line(String bad) throws IOException {
        List<ObjectNode> records = SweepFixture.records();
        Files.writeString(runDir.resolve("results.jsonl"), SweepFixture.line(records.get(0)) + "\n"
                + SweepFixture.line(records.get(1)) + "\n" + bad + "\n" + SweepFixture.line(records.get(2)) + "\n");

        DataFormatException e = assertThrows(DataFormatException.class, () -> SweepReport.write(runDir));
        assertTrue(e.getMessage().startsWith(runDir.resolve("results.jsonl") + ":3: "), e.getMessage());
    }

    @Test
    void a_last_record_cut_short_by_a_killed_run_is_left_out() throws IOException {
        List<ObjectNode> records = SweepFixture.records();
        Files.writeString(runDir.resolve("results.jsonl"), SweepFixture.line(records.get(0)) + "\n"
                + SweepFixture.line(records.get(1)) + "\n" + SweepFixture.line(records.get(2)).substring(0, 40));

        SweepReport.write(runDir);

        Path whole = Files.createDirectories(runDir.resolve("whole"));
        SweepFixture.write(whole, records.subList(0, 2));
        SweepReport.write(whole);
        assertEquals(Files.readString(whole.resolve("summary.csv")), Files.readString(runDir.resolve("summary.csv")));
    }

    @Test
    void record_without_a_layer_is_an_error_naming_line_and_field() throws IOException {
        List<ObjectNode> records = SweepFixture.records();
        ((ObjectNode) records.get(1).at("/config/defense")).remove("layer");
        SweepFixture.write(runDir, records);

        DataFormatException e = assertThrows(DataFormatException.class, () -> SweepReport.write(runDir));
        assertEquals(runDir.resolve("results.jsonl") + ":2: config.defense.layer is missing", e.getMessage());
    }

    @Test
    void a_point_written_twice_counts_once_with_its_later_values() throws IOException {
        List<ObjectNode> records = SweepFixture.records(List.of(2.0), List.of("conv_3"), List.of("PyTorch"),
                List.of(1));
        ObjectNode again = records.get(0).deepCopy();
        ((ObjectNode) again.at("/metrics/repaired")).put("clean_accuracy", 50.0);
        records = List.of(records.get(0), again);
        SweepFixture.write(runDir, records);

        SweepReport.write(runDir);

        String row = Files.readAllLines(runDir.resolve("summary.csv")).get(1);
        assertTrue(row.startsWith("conv_3,PyTorch,2,1,"), row);
        assertEquals("50.0000", row.split(",")[7]);
    }

    @Test
    void a_threshold_never_reached_is_marked_in_the_report() throws IOException {
        SweepFixture.write(runDir, SweepFixture.records(List.of(2.0, 99.0), List.of("conv_3"),
                List.of("PyTorch"), List.of(1)));

        ReportFiles files = SweepReport.write(runDir);

        String report = Files.readString(files.report());
        assertTrue(report.contains("| conv_3 | PyTorch | 99 | 1 | 60 † |"), report);
        assertTrue(report.contains("† Pruning never lost that much"), report);
    }

    @Test
    void metrics_a_record_lacks_are_blank_in_the_summary_and_dashes_in_the_report() throws IOException {
        List<ObjectNode> records = SweepFixture.records(List.of(2.0), List.of("conv_3"), List.of("PyTorch"),
                List.of(1, 2));
        records.forEach(r -> ((ObjectNode) r.get("metrics")).remove("goodnet"));
        SweepFixture.write(runDir, records);

        ReportFiles files = SweepReport.write(runDir);

        String[] row = Files.readAllLines(files.summary()).get(1).split(",", -1);
        assertEquals(19, row.length);
        assertEquals(List.of("", "", "", "", "", "", "", ""), Arrays.asList(row).subList(11, 19));
        assertTrue(Files.readString(files.report()).contains("| – | – | – | – |"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void degenerate_sweeps_still_render_every_plot() throws IOException {
        List<ObjectNode> records = SweepFixture.records(List.of(2.0, 4.0), List.of("conv_3"), List.of("PyTorch"),
                List.of(1));
        for (ObjectNode r : records) {
            // One channel that costs nothing, no test scores at all: flat lines, no repaired points.
            r.putArray("curve").add(98.65);
            ((ObjectNode) r.get("metrics")).put("pruned", 1).put("reached", false);
            ((ObjectNode) r.get("metrics")).remove(List.of("repaired", "goodnet"));
            ((ObjectNode) r.at("/metrics/baseline")).remove(List.of("clean_accuracy", "attack_success_rate"));
        }
        SweepFixture.write(runDir, records);

        ReportFiles files = SweepReport.write(runDir);

        for (Path plot : files.plots()) {
            BufferedImage image = ImageIO.read(plot.toFile());
            assertNotNull(image, plot + " is not an image");
            assertTrue(colours(image) > 2, plot + " is blank");
        }
    }

    private static int colours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static Set<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }
}
