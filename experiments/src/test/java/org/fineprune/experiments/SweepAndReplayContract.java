package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fineprune.core.BadNet;
import org.fineprune.core.FinepruneException;
import org.fineprune.data.LabData;
import org.fineprune.reproducibility.RunRecord;
import org.junit.jupiter.api.Test;

/**
 * What every sweep of a lab folder must do, on the real lab3 data and on a generated folder: one
 * record per point, engines that agree, byte-identical reruns, resumption, refusal of another
 * experiment's folder, and replay that passes, and fails naming the point and field.
 *
 * <p>A subclass copies a lab folder to {@link #copiedData} and its weights to {@link #weights},
 * then calls {@link #sweepOnce}: drops x layers x engines = 2 x 2 x 2 = 8 points in 4 pruning passes.
 */
abstract class SweepAndReplayContract {
    static Path tmp;
    static Path copiedData;
    static Path weights;
    static ExperimentPlan plan;
    static SweepResult first;

    /** Copies {@code lab}'s data files under {@code tmp} and sweeps them. */
    static void sweepOnce(Path tmpDir, Path labData, Path labWeights) throws IOException {
        tmp = tmpDir;
        weights = labWeights;
        copiedData = tmp.resolve("data");
        for (String file : List.of("cl/valid.h5", "cl/test.h5", "bd/bd_test.h5")) {
            Path target = copiedData.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(labData.resolve(file), target, StandardCopyOption.REPLACE_EXISTING);
        }
        plan = lab(LabData.at(copiedData)).sweep(sweep("PyTorch", "MXNet")).device("cpu");
        first = plan.run(tmp.resolve("first"));
    }

    static Experiment.WithDefenses lab(LabData data) {
        return Experiment.named("lab3-test").model(BadNet.keras(weights)).data(data).defense("pruning");
    }

    static Sweep sweep(String... engines) {
        return Sweep.over("drop", 2, 10).and("layer", "conv_3", "conv_4").engines(engines);
    }

    @Test
    void writes_one_record_per_point() {
        assertEquals(8, first.ran());
        assertEquals(8, first.records().size());
        Set<String> points = new TreeSet<>();
        first.records().forEach(r -> points.add(r.point()));
        Set<String> expected = new TreeSet<>();
        for (String drop : List.of("10", "2")) {
            for (String engine : List.of("MXNet", "PyTorch")) {
                for (String layer : List.of("conv_3", "conv_4")) {
                    expected.add("defense=pruning,drop=" + drop + ",engine=" + engine + ",layer=" + layer + ",seed=1");
                }
            }
        }
        assertEquals(expected, points);
        PointRecord record = first.records().get(0);
        assertEquals(PointRecord.SCHEMA, record.schema());
        assertEquals("conv_3", record.config().defense().settings().get("layer"));
        assertEquals(64, record.hashes().get("weights").length());
        assertNotNull(record.environment().get("engine_version"));
        for (PointRecord r : first.records()) {
            Object threads = r.environment().get("engine_threads");
            if (r.config().engine().equals("PyTorch")) {
                assertTrue(threads instanceof Number n && n.intValue() >= 1, r.point() + ": " + threads);
            } else {
                assertNull(threads, r.point() + ": MXNet does not say");
            }
        }
        assertNull(record.metrics().badnet().robustAccuracy(), "the lab's files have no true classes");
        assertTrue(record.timings().get("detector_seconds_per_1000") > 0, "the GoodNet's time per 1,000 inputs");
        assertEquals(((List<?>) record.diagnostics().get("validAccuracies")).size(), record.pruningSteps().order().size());
    }

    @Test
    void the_attack_curve_meets_the_kept_model_at_its_step() {
        for (PointRecord record : first.records()) {
            int pruned = ((Map<?, ?>) record.diagnostics().get("prunedChannels")).values().stream()
                    .mapToInt(c -> ((List<?>) c).size()).sum();
            if (pruned > 0) {
                assertEquals(record.metrics().repaired().attackSuccessRate(),
                        record.pruningSteps().attackSuccessRates().get(pruned - 1), 1e-9, record.point());
            }
        }
    }

    @Test
    void the_engines_agree_point_by_point() {
        for (PointRecord torch : first.records()) {
            if (!torch.point().contains("engine=PyTorch")) {
                continue;
            }
            String other = torch.point().replace("engine=PyTorch", "engine=MXNet");
            PointRecord mxnet = first.records().stream().filter(r -> r.point().equals(other)).findFirst().orElseThrow();
            assertEquals(torch.diagnostics().get("prunedChannels"), mxnet.diagnostics().get("prunedChannels"), other);
            assertEquals(torch.metrics(), mxnet.metrics(), other);
        }
    }

    @Test
    void a_second_identical_run_is_byte_identical_apart_from_timings() throws IOException {
        SweepResult again = plan.run(tmp.resolve("second"));
        assertEquals(withoutTimings(first.records()), withoutTimings(again.records()));
    }

    @Test
    void an_interrupted_sweep_resumes_without_redoing_points() throws IOException {
        Path dir = tmp.resolve("interrupted");
        // The run "died" after the PyTorch passes, in the middle of writing a line.
        lab(LabData.at(copiedData)).sweep(sweep("PyTorch")).device("cpu").run(dir);
        Files.writeString(dir.resolve("results.jsonl"), "{\"config\":{\"da", java.nio.file.StandardOpenOption.APPEND);
        SweepResult resumed = plan.run(dir);
        assertEquals(4, resumed.ran());
        assertEquals(4, resumed.skipped());
        assertEquals(new TreeSet<>(withoutTimings(first.records())), new TreeSet<>(withoutTimings(resumed.records())));
        assertEquals(0, plan.run(dir).ran(), "a finished sweep runs nothing");
    }

    @Test
    void a_run_folder_of_another_experiment_is_refused() throws IOException {
        Path dir = tmp.resolve("reused");
        plan.run(dir);
        ExperimentPlan otherRule = lab(LabData.at(copiedData)).with("rule", "last-under").sweep(plan.sweep())
                .device("cpu");
        FinepruneException e = assertThrows(FinepruneException.class, () -> otherRule.run(dir));
        assertTrue(e.getMessage().contains("of another experiment (config.defense.settings.rule is first-over there, "
                + "last-under here)"), e.getMessage());
    }

    @Test
    void records_made_before_a_parameter_existed_resume_and_replay_at_its_default_only() throws IOException {
        Path dir = tmp.resolve("older");
        plan.run(dir);
        Path results = dir.resolve("results.jsonl");
        // The records as a pruning defense that had no stopping rule yet wrote them (rule is its last setting).
        String older = Files.readString(results).replace(",\"rule\":\"first-over\"}", "}");
        assertFalse(older.contains("\"rule\""), older);
        Files.writeString(results, older);

        assertEquals(0, plan.run(dir).ran(), "the default rule is what the records ran");
        Path two = Files.createDirectories(tmp.resolve("older-two")).resolve("results.jsonl");
        Files.write(two, Files.readAllLines(results).subList(0, 2));
        Replay.replay(two, null, 0, Files.createTempDirectory(tmp, "replay")).points()
                .forEach(o -> assertTrue(o.reproduced(), o.point() + ": " + o.problems()));
        ExperimentPlan otherRule = lab(LabData.at(copiedData)).with("rule", "last-under").sweep(plan.sweep())
                .device("cpu");
        FinepruneException e = assertThrows(FinepruneException.class, () -> otherRule.run(dir));
        assertTrue(e.getMessage().contains("(config.defense.settings.rule is missing there, last-under here)"),
                e.getMessage());
    }

    @Test
    void replay_reproduces_every_point() throws IOException {
        List<Replay.PointOutcome> outcomes = Replay.replay(first.runDir().resolve("results.jsonl"), null, 0,
                Files.createTempDirectory(tmp, "replay")).points();
        assertEquals(8, outcomes.size());
        outcomes.forEach(o -> assertTrue(o.reproduced(), o.point() + ": " + o.problems()));
    }

    @Test
    void replay_names_the_point_and_field_of_an_edited_metric() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("edited"));
        List<String> lines = Files.readAllLines(first.runDir().resolve("results.jsonl"));
        String edited = lines.get(1).replaceFirst("\"clean_accuracy\":([0-9.]+)", "\"clean_accuracy\":12.5");
        assertFalse(edited.equals(lines.get(1)));
        Files.write(copy.resolve("results.jsonl"), List.of(lines.get(0), edited));
        List<Replay.PointOutcome> outcomes = Replay.replay(copy.resolve("results.jsonl"), null, 0,
                Files.createTempDirectory(tmp, "replay")).points();
        assertTrue(outcomes.get(0).reproduced(), outcomes.get(0).problems().toString());
        Replay.PointOutcome bad = outcomes.get(1);
        assertFalse(bad.reproduced());
        assertEquals(RunRecord.parse(lines.get(1)).point(), bad.point());
        assertTrue(bad.problems().stream().anyMatch(p -> p.startsWith("metrics.badnet.clean_accuracy: recorded 12.5")),
                bad.problems().toString());
    }

    @Test
    void replay_names_both_thread_counts_where_a_record_from_another_count_differs() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("other-threads"));
        String line = Files.readAllLines(first.runDir().resolve("results.jsonl")).stream()
                .filter(l -> l.contains("\"engine\":\"PyTorch\"")).findFirst().orElseThrow();
        String edited = line.replaceFirst("\"engine_threads\":[0-9]+", "\"engine_threads\":999")
                .replaceFirst("\"clean_accuracy\":([0-9.]+)", "\"clean_accuracy\":12.5");
        assertTrue(edited.contains("\"engine_threads\":999"), line);
        Files.write(copy.resolve("results.jsonl"), List.of(edited));
        Replay.PointOutcome outcome = Replay.replay(copy.resolve("results.jsonl"), null, 0,
                Files.createTempDirectory(tmp, "replay")).points().get(0);
        assertTrue(outcome.problems().stream().anyMatch(p -> p.startsWith("recorded with 999 engine threads, replayed"
                + " with ")), outcome.problems().toString());
    }

    @Test
    void replay_refuses_a_changed_data_file() throws IOException {
        Path data = tmp.resolve("changed-data");
        Files.createDirectories(data.resolve("cl"));
        Files.createDirectories(data.resolve("bd"));
        for (String file : List.of("cl/valid.h5", "cl/test.h5", "bd/bd_test.h5")) {
            Files.copy(copiedData.resolve(file), data.resolve(file));
        }
        ExperimentPlan small = lab(LabData.at(data)).with("drop", 4).sweep(Sweep.none()).device("cpu");
        Path results = small.run(tmp.resolve("changed-run")).runDir().resolve("results.jsonl");
        byte[] bytes = Files.readAllBytes(data.resolve("cl/test.h5"));
        bytes[bytes.length - 1] ^= 1;
        Files.write(data.resolve("cl/test.h5"), bytes);
        Replay.PointOutcome outcome = Replay.replay(results, null, 0, Files.createTempDirectory(tmp, "replay")).points()
                .get(0);
        assertFalse(outcome.reproduced());
        assertTrue(outcome.problems().get(0).startsWith("test file " + data.resolve("cl/test.h5") + ": SHA-256"),
                outcome.problems().toString());
    }

    @Test
    void replay_on_the_other_engine_stays_within_tolerance() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("cross"));
        List<String> torch = Files.readAllLines(first.runDir().resolve("results.jsonl")).stream()
                .filter(l -> l.contains("\"point\":\"defense=pruning,drop=2,engine=PyTorch,layer=conv_3")).toList();
        assertEquals(1, torch.size());
        Files.write(copy.resolve("results.jsonl"), torch);
        List<Replay.PointOutcome> outcomes = Replay.replay(copy.resolve("results.jsonl"), "MXNet", 2.0,
                Files.createTempDirectory(tmp, "replay")).points();
        outcomes.forEach(o -> assertTrue(o.reproduced(), o.problems().toString()));
    }

    private static List<String> withoutTimings(List<PointRecord> records) {
        return records.stream().map(r -> Records.toRunRecord(r).withoutTimings().toJsonLine()).toList();
    }
}
