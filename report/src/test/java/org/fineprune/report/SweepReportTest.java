package org.fineprune.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.fineprune.core.DataFormatException;
import org.fineprune.experiments.FashionMnistSubject;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.PointRecord.Metrics;
import org.fineprune.experiments.PointRecord.Scores;
import org.fineprune.experiments.PointRecord.TrainingDetectorScores;
import org.fineprune.experiments.Records;
import org.fineprune.reproducibility.ResultsLog;
import org.fineprune.reproducibility.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.knowm.xchart.XYChart;

class SweepReportTest {
    @TempDir
    Path runDir;

    /** Fine-tuning on Fashion-MNIST over three seeds, repaired clean accuracy 90, 92 and 97. */
    private static List<PointRecord> fineTuningOverThreeSeeds() {
        List<PointRecord> records = new ArrayList<>();
        double[] clean = {90, 92, 97};
        for (int seed = 1; seed <= 3; seed++) {
            records.add(SweepFixture.other(SweepFixture.FASHION, "fine-tuning",
                    SweepFixture.settings("epochs", 5, "learning-rate", 0.01, "layer", "", "layers", List.of()),
                    List.of(), "PyTorch", seed,
                    new Scores(98.0, clean[seed - 1], 1.0 * seed, 80.0)));
        }
        return records;
    }

    @Test
    void means_and_sample_standard_deviations_over_three_seeds_match_a_hand_computation() throws IOException {
        SweepFixture.write(runDir, fineTuningOverThreeSeeds());

        ReportFiles files = SweepReport.write(runDir);

        // clean accuracy 90, 92, 97: mean 93, sd sqrt((9 + 1 + 16) / 2) = sqrt(13) = 3.6056;
        // attack success 1, 2, 3: mean 2, sd 1; defense seconds 11, 12, 13: mean 12, sd 1.
        Map<String, String> fineTuning = csvRow(files.summary(), "fine-tuning");
        assertEquals("3", fineTuning.get("seeds"));
        assertEquals("93.0000", fineTuning.get("repaired_clean_accuracy_mean"));
        assertEquals("3.6056", fineTuning.get("repaired_clean_accuracy_sd"));
        assertEquals("2.0000", fineTuning.get("repaired_attack_success_rate_mean"));
        assertEquals("1.0000", fineTuning.get("repaired_attack_success_rate_sd"));
        assertEquals("12.0000", fineTuning.get("defense_seconds_mean"));
        assertEquals("1.0000", fineTuning.get("defense_seconds_sd"));
        assertEquals("0.0000", fineTuning.get("badnet_robust_accuracy_sd"));
        String report = Files.readString(files.report());
        assertTrue(report.contains("| fine-tuning | PyTorch | 3 | 98.62 ± 0.00 | 100.00 ± 0.00 | 0.40 ± 0.00 | "
                + "98.00 ± 0.00 | 93.00 ± 3.61 | 2.00 ± 1.00 | 80.00 ± 0.00 |"), report);
        assertTrue(report.contains("| none (the BadNet) | PyTorch | 3 | 98.62 ± 0.00 | 100.00 ± 0.00 | 0.40 ± 0.00 "
                + "| – | – | – | – |"), report);
    }

    @Test
    void a_detector_s_seconds_per_1000_inputs_are_averaged_in_a_column_of_their_own() throws IOException {
        List<PointRecord> records = new ArrayList<>();
        double[] seconds = {30, 34};
        for (int seed = 1; seed <= 2; seed++) {
            records.add(SweepFixture.detectorOnly(SweepFixture.LAB, "strip", "PyTorch", seed,
                    new PointRecord.DetectorScores(95.0, 10.0, 5.0, 80.0 + seed, 0.9), seconds[seed - 1]));
        }
        SweepFixture.write(runDir, records);

        ReportFiles files = SweepReport.write(runDir);

        // 30 and 34: mean 32, sd sqrt(8) = 2.8284.
        Map<String, String> strip = csvRow(files.summary(), "strip");
        assertEquals("32.0000", strip.get("detector_seconds_per_1000_mean"));
        assertEquals("2.8284", strip.get("detector_seconds_per_1000_sd"));
        String report = Files.readString(files.report());
        assertTrue(report.contains("| detector s / 1,000 inputs |"), report);
        assertTrue(report.contains("| 32.00 ± 2.83 |"), report);
    }

    @Test
    void the_subject_note_describes_the_attack_the_badnets_were_trained_with() throws IOException {
        FashionMnistSubject fashion = (FashionMnistSubject) SweepFixture.FASHION;
        List<PointRecord> records = new ArrayList<>();
        records.addAll(SweepFixture.pruning(fashion.recipe("wide-cnn", "blend", 0.05, false), List.of(4),
                List.of("conv_3"), "PyTorch", 1));
        records.addAll(SweepFixture.pruning(fashion.recipe("small-cnn", "all-to-all", 0.1, false), List.of(4),
                List.of("conv_3"), "PyTorch", 2));
        SweepFixture.write(runDir, records);

        String report = Files.readString(SweepReport.write(runDir).report());

        assertTrue(report.contains("network `wide-cnn`, attack `blend`, 5% of the training images poisoned, target "
                + "class 0 (the blended trigger: a fixed random pattern over the whole image at 10% opacity). "), report);
        assertTrue(report.contains("network `small-cnn`, attack `all-to-all`, 10% of the training images poisoned, "
                + "each class sent to the next (the patch trigger: a 4x4 checkerboard in the bottom-right corner). "),
                report);
        assertFalse(report.contains("attack `blend`, 5% of the training images poisoned, target class 0 (the patch"),
                report);
    }

    @Test
    void the_report_names_the_experiment_the_subject_the_shared_settings_and_the_swept_axes() throws IOException {
        List<PointRecord> records = new ArrayList<>(fineTuningOverThreeSeeds());
        records.addAll(SweepFixture.pruning(SweepFixture.FASHION, List.of(2, 4), List.of("conv_3"), "PyTorch", 1));
        SweepFixture.write(runDir, records);

        String report = Files.readString(SweepReport.write(runDir).report());

        assertTrue(report.startsWith("# Sweep report: lab3-sweep\n"), report);
        assertTrue(report.contains("Each seed trains its own BadNet: network `small-cnn`, attack `patch`, 10% of the "
                + "training images poisoned, target class 0 (the patch trigger: a 4x4 checkerboard in the bottom-right "
                + "corner). The defender's clean validation data is the held-out tenth of the training images, 6,000 "
                + "images"), report);
        assertTrue(report.contains("- Settings of `fine-tuning` shared by all its points: `epochs=5`, `layer=\"\"`, "
                + "`layers=[]`, `learning-rate=0.01`.\n"), report);
        assertTrue(report.contains("- Settings of `pruning` shared by all its points: `rule=first-over`.\n"), report);
        assertTrue(report.contains("- Swept: `defense` over fine-tuning, pruning; `drop` over 2, 4; `layer` over "
                + "conv_3; `engine` over PyTorch; `seed` over 1, 2, 3.\n"), report);
        assertTrue(report.contains("uses the defender's clean validation data only"), report);
        assertTrue(report.contains("for the pruning figures only"), report);
        assertTrue(report.contains("| defense | drop | layer | engine | seeds | clean acc (BadNet) |"), report);
        assertTrue(report.contains("| fine-tuning |  |  | PyTorch | 3 |"), report);
        assertTrue(report.contains("| pruning | 4 | conv_3 | PyTorch | 1 |"), report);
    }

    @Test
    void lab_records_name_the_files_and_leave_out_the_robust_accuracy_no_record_has() throws IOException {
        SweepFixture.write(runDir, SweepFixture.pruning(SweepFixture.LAB, List.of(2, 4), List.of("conv_3"),
                "PyTorch", 1));

        ReportFiles files = SweepReport.write(runDir);

        String report = Files.readString(files.report());
        assertTrue(report.contains("- Subject: the BadNet `lab/bd_net.h5` (inputs divided by 255); the defender's "
                + "clean validation data `lab/valid.h5`; clean test images `lab/test.h5`; poisoned test images "
                + "`lab/bd_test.h5`.\n"), report);
        assertFalse(report.contains("robust"), report);
        assertTrue(report.contains("| attack success (repaired) |"), report);
        String header = Files.readAllLines(files.summary()).get(0);
        assertFalse(header.contains("robust"), header);
        assertTrue(header.startsWith("defense,drop,layer,engine,seeds,badnet_clean_accuracy_mean,"), header);
    }

    @Test
    void a_training_set_detector_has_its_rates_and_auroc_averaged_over_seeds() throws IOException {
        List<PointRecord> records = new ArrayList<>();
        for (int seed = 1; seed <= 2; seed++) {
            PointRecord r = SweepFixture.other(SweepFixture.FASHION, "spectral-signatures",
                    SweepFixture.settings("poison-rate", 0.1), List.of(), "PyTorch", seed, null);
            Metrics m = r.metrics();
            records.add(new PointRecord(r.schema(), r.experiment(), r.point(), r.seed(), r.config(), r.environment(),
                    r.hashes(), new Metrics(m.badnet(), null, null,
                            new TrainingDetectorScores(90.0 + 2 * seed, 4.0 * seed, 0.9 + 0.02 * seed)),
                    r.diagnostics(), null, r.timings()));
        }
        SweepFixture.write(runDir, records);

        ReportFiles files = SweepReport.write(runDir);

        List<String> lines = Files.readAllLines(files.summary());
        List<String> header = List.of(lines.get(0).split(","));
        List<String> row = List.of(lines.get(2).split(",", -1));
        assertEquals("93.0000", row.get(header.indexOf("training_detector_poisoned_flagged_mean")), lines.get(2));
        assertEquals("6.0000", row.get(header.indexOf("training_detector_clean_flagged_mean")), lines.get(2));
        assertEquals("0.9300", row.get(header.indexOf("training_detector_auroc_mean")), lines.get(2));
        assertFalse(header.contains("detector_auroc_mean"), lines.get(0));
        String report = Files.readString(files.report());
        assertTrue(report.contains("| poisoned flagged (training set) | clean flagged (training set) | AUROC (training set) |"),
                report);
    }

    @Test
    void one_row_per_defense_swept_values_and_engine_after_the_badnets_rows() throws IOException {
        List<PointRecord> records = new ArrayList<>();
        for (String engine : List.of("PyTorch", "MXNet")) {
            for (long seed = 1; seed <= 2; seed++) {
                records.addAll(SweepFixture.pruning(SweepFixture.FASHION, List.of(10, 2), List.of("conv_4", "conv_3"),
                        engine, seed));
                for (int drop : List.of(2, 10)) {
                    records.add(SweepFixture.other(SweepFixture.FASHION, "fine-pruning",
                            SweepFixture.settings("drop", drop, "epochs", 3), List.of("drop"), engine, seed,
                            new Scores(97.0, 96.0, 3.0, 70.0)));
                }
            }
        }
        SweepFixture.write(runDir, records);

        List<String> lines = Files.readAllLines(SweepReport.write(runDir).summary());

        List<String> rows = lines.subList(1, lines.size()).stream()
                .map(l -> String.join(",", List.of(l.split(",")).subList(0, 5))).toList();
        assertEquals(List.of("none (the BadNet),,,MXNet,2", "none (the BadNet),,,PyTorch,2",
                "fine-pruning,2,,MXNet,2", "fine-pruning,2,,PyTorch,2",
                "fine-pruning,10,,MXNet,2", "fine-pruning,10,,PyTorch,2",
                "pruning,2,conv_3,MXNet,2", "pruning,2,conv_3,PyTorch,2",
                "pruning,2,conv_4,MXNet,2", "pruning,2,conv_4,PyTorch,2",
                "pruning,10,conv_3,MXNet,2", "pruning,10,conv_3,PyTorch,2",
                "pruning,10,conv_4,MXNet,2", "pruning,10,conv_4,PyTorch,2"), rows);
    }

    @Test
    void a_pruning_figure_per_pass_with_its_attack_series_and_a_line_per_kept_model() throws IOException {
        List<PointRecord> records = SweepFixture.pruning(SweepFixture.LAB, List.of(2, 4, 10),
                List.of("conv_3", "conv_4"), "PyTorch", 1);
        SweepFixture.write(runDir, records);

        ReportFiles files = SweepReport.write(runDir);

        assertEquals(List.of(runDir.resolve("plots/pruning_defense-pruning_engine-PyTorch_layer-conv_3_seed-1.png"),
                runDir.resolve("plots/pruning_defense-pruning_engine-PyTorch_layer-conv_4_seed-1.png"),
                runDir.resolve("plots/clean_vs_attack.png")), files.plots());
        List<PruningPass> passes = PruningPass.of(Records.read(runDir));
        assertEquals(2, passes.size());
        PruningPass conv3 = passes.get(0);
        assertEquals(61, conv3.validAccuracy().length);
        assertEquals(SweepFixture.BASELINE_VALID, conv3.validAccuracy()[0]);
        assertEquals(100.0, conv3.attackSuccessRate()[0], "step 0 is the BadNet's attack success rate");
        List<Integer> kept = records.subList(0, 3).stream()
                .map(r -> ((Map<?, List<?>>) r.diagnostics().get("prunedChannels")).get("conv_3").size()).toList();
        assertEquals(kept.stream().distinct().toList(), conv3.marks().stream().map(PruningPass.Mark::step).toList());
        assertTrue(conv3.marks().get(0).label().startsWith("d=2"), conv3.marks().toString());
        XYChart chart = Plots.pruning(conv3);
        assertEquals(Set.of(Plots.VALID_SERIES, "attack success rate (poisoned test set, plot only)"),
                chart.getSeriesMap().keySet());
        assertTrue(Files.readString(files.report())
                .contains("![Validation accuracy and attack success rate after each pruning step"));
    }

    @Test
    void a_pass_scored_at_some_steps_draws_its_attack_line_through_those_steps() throws IOException {
        PointRecord full = SweepFixture.pruning(SweepFixture.LAB, 4, "conv_3", "PyTorch", 1);
        List<Double> rates = full.pruningSteps().attackSuccessRates();
        List<Double> everyThird = new ArrayList<>();
        for (int k = 1; k <= rates.size(); k++) {
            everyThird.add(k % 3 == 0 ? rates.get(k - 1) : null);
        }
        SweepFixture.write(runDir, List.of(new PointRecord(full.schema(), full.experiment(), full.point(), full.seed(),
                full.config(), full.environment(), full.hashes(), full.metrics(), full.diagnostics(),
                new PointRecord.PruningSteps(full.pruningSteps().order(), everyThird), full.timings())));

        PruningPass pass = PruningPass.of(Records.read(runDir)).get(0);

        assertEquals(61, pass.attackSuccessRate().length);
        assertEquals(100.0, pass.attackSuccessRate()[0]);
        assertTrue(Double.isNaN(pass.attackSuccessRate()[1]));
        assertEquals(rates.get(2), pass.attackSuccessRate()[3]);
        XYChart chart = Plots.pruning(pass);
        assertEquals(1 + 20, chart.getSeriesMap().get(Plots.ATTACK_SERIES).getXData().length,
                "the BadNet and every third step");
        assertEquals(3.0, chart.getSeriesMap().get(Plots.ATTACK_SERIES).getXData()[1]);
    }

    @Test
    void a_defense_without_pruning_steps_has_no_pruning_figure() throws IOException {
        SweepFixture.write(runDir, fineTuningOverThreeSeeds());

        ReportFiles files = SweepReport.write(runDir);

        assertEquals(List.of(runDir.resolve("plots/clean_vs_attack.png")), files.plots());
        assertFalse(Files.readString(files.report()).contains("### Pruning"));
    }

    @Test
    void the_clean_against_attack_plot_has_a_point_per_group_and_the_badnet() {
        List<PointRecord> records = new ArrayList<>(fineTuningOverThreeSeeds());
        records.addAll(SweepFixture.pruning(SweepFixture.FASHION, List.of(2, 4), List.of("conv_3"), "PyTorch", 1));

        XYChart chart = Plots.cleanVsAttack(Table.of(records));

        assertEquals(Set.of("BadNet", "fine-tuning", "pruning"), chart.getSeriesMap().keySet());
        assertEquals(2, chart.getSeriesMap().get("pruning").getXData().length);
        assertEquals(93.0, chart.getSeriesMap().get("fine-tuning").getXData()[0], 1e-9);
        assertEquals(2.0, chart.getSeriesMap().get("fine-tuning").getYData()[0], 1e-9);
    }

    @Test
    void plots_are_800_by_500_pngs_with_more_than_two_colours() throws IOException {
        List<PointRecord> records = new ArrayList<>(fineTuningOverThreeSeeds());
        records.addAll(SweepFixture.pruning(SweepFixture.FASHION, List.of(2, 4, 10), List.of("conv_3"), "PyTorch", 1));
        SweepFixture.write(runDir, records);

        ReportFiles files = SweepReport.write(runDir);

        assertEquals(2, files.plots().size());
        for (Path plot : files.plots()) {
            BufferedImage image = ImageIO.read(plot.toFile());
            assertNotNull(image, plot + " is not an image");
            assertEquals(800, image.getWidth(), plot.toString());
            assertEquals(500, image.getHeight(), plot.toString());
            assertTrue(colours(image) > 2, plot + " is blank");
        }
    }

    @Test
    void a_schema_1_record_is_refused_in_one_line_naming_file_and_record() throws IOException {
        List<PointRecord> records = fineTuningOverThreeSeeds();
        SweepFixture.write(runDir, records.subList(0, 1));
        Map<String, Object> old = new LinkedHashMap<>(Records.toRunRecord(records.get(1)).asMap());
        old.put("schema", 1);
        ResultsLog.open(runDir).append(RunRecord.of(old));

        DataFormatException e = assertThrows(DataFormatException.class, () -> SweepReport.write(runDir));

        assertEquals(runDir.resolve("results.jsonl") + ": record " + records.get(1).point()
                + ": schema 1 is not 2, the version this Fineprune reads", e.getMessage());
        assertFalse(Files.exists(runDir.resolve("report.md")));
    }

    @Test
    void a_record_with_a_field_of_the_wrong_type_is_refused_in_one_line_naming_file_record_and_field()
            throws IOException {
        Map<String, Object> bad = new LinkedHashMap<>(Records.toRunRecord(fineTuningOverThreeSeeds().get(0)).asMap());
        bad.put("seed", "one");
        ResultsLog.open(runDir).append(RunRecord.of(bad));

        DataFormatException e = assertThrows(DataFormatException.class, () -> SweepReport.write(runDir));

        assertTrue(e.getMessage().startsWith(runDir.resolve("results.jsonl") + ": record "), e.getMessage());
        assertTrue(e.getMessage().contains("field seed"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void rewrites_its_own_files_and_leaves_everything_else_alone() throws IOException {
        SweepFixture.write(runDir, fineTuningOverThreeSeeds());
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
        assertEquals(Set.of("other.png", "clean_vs_attack.png"), names(runDir.resolve("plots")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"report.md", "summary.csv", "plots/clean_vs_attack.png", "plots/pruning_x.png"})
    void a_file_of_the_reports_name_that_it_did_not_write_is_refused_and_kept(String name) throws IOException {
        SweepFixture.write(runDir, fineTuningOverThreeSeeds());
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
        SweepFixture.write(runDir, fineTuningOverThreeSeeds());
        OutputFolder crashed = SweepReport.claim(runDir, false);
        crashed.writeString("summary.csv", "cut off before the report was written");

        ReportFiles files = SweepReport.write(SweepReport.claim(runDir, false));
        assertTrue(Files.readString(files.summary()).startsWith("defense,"), Files.readString(files.summary()));
        IOException e = assertThrows(IOException.class, () -> SweepReport.claim(runDir, false));
        assertTrue(e.getMessage().contains("already holds results"), e.getMessage());
        SweepReport.write(SweepReport.claim(runDir, true));
    }

    @Test
    void missing_results_file_is_an_error_naming_it() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SweepReport.write(runDir));
        assertEquals(runDir.resolve("results.jsonl").toString(), e.getFile());
    }

    @Test
    void missing_run_folder_is_an_error_naming_it() {
        Path missing = runDir.resolve("nope");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SweepReport.write(missing));
        assertEquals(missing.toString(), e.getFile());
    }

    @Test
    void empty_results_file_is_an_error_naming_it() throws IOException {
        Files.writeString(runDir.resolve("results.jsonl"), "");

        DataFormatException e = assertThrows(DataFormatException.class, () -> SweepReport.write(runDir));
        assertEquals(runDir.resolve("results.jsonl") + ": no records; nothing to report", e.getMessage());
        assertFalse(Files.exists(runDir.resolve("report.md")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "not json\n", "[1, 2]\n"})
    void a_line_that_is_not_a_record_is_refused_in_one_line_naming_file_and_line(String bad) throws IOException {
        SweepFixture.write(runDir, fineTuningOverThreeSeeds().subList(0, 1));
        Files.writeString(runDir.resolve("results.jsonl"), bad, StandardOpenOption.APPEND);

        DataFormatException e = assertThrows(DataFormatException.class, () -> SweepReport.write(runDir));
        assertTrue(e.getMessage().startsWith(runDir.resolve("results.jsonl") + ", line 2: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(runDir.resolve("report.md")));
    }

    private static Map<String, String> csvRow(Path csv, String defense) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        List<String> row = lines.stream().filter(l -> l.startsWith(defense + ",")).findFirst().map(l -> List.of(
                l.split(",", -1))).orElseThrow();
        return header.stream().collect(Collectors.toMap(h -> h, h -> row.get(header.indexOf(h))));
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
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
