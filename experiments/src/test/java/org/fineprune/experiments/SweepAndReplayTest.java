package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.fineprune.core.BadNet;
import org.fineprune.core.FinepruneException;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabData;
import org.fineprune.defenses.pruning.Pruning;
import org.fineprune.reproducibility.RunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps on the real lab3 data: one record per point, resumption, byte-identical reruns and replay. */
@Tag("real-data")
class SweepAndReplayTest {
    @TempDir
    static Path tmp;

    private static Path copiedData;
    private static ExperimentPlan plan;
    private static SweepResult first;

    /** drops x layers x engines = 2 x 2 x 2 = 8 points in 4 pruning passes, on copies of the data files. */
    @BeforeAll
    static void sweepOnce() throws IOException {
        copiedData = tmp.resolve("data");
        for (String file : List.of("cl/valid.h5", "cl/test.h5", "bd/bd_test.h5")) {
            Path target = copiedData.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(SharedCsaw.file("data/" + file), target, StandardCopyOption.REPLACE_EXISTING);
        }
        plan = Experiment.named("lab3-test")
                .model(BadNet.keras(SharedCsaw.file("models/bd_weights.h5")))
                .data(LabData.at(copiedData))
                .defense(Pruning.meanActivation())
                .sweep(Sweep.drops(2, 10).layers("conv_3", "conv_4").engines("PyTorch", "MXNet"))
                .device("cpu");
        first = plan.run(tmp.resolve("first"));
    }

    @Test
    void writes_one_record_per_point() {
        assertEquals(8, first.ran());
        assertEquals(8, first.records().size());
        Set<String> points = new TreeSet<>();
        first.records().forEach(r -> points.add(r.point()));
        assertEquals(Set.of("drop=10,engine=MXNet,layer=conv_3,seed=1", "drop=10,engine=MXNet,layer=conv_4,seed=1",
                "drop=10,engine=PyTorch,layer=conv_3,seed=1", "drop=10,engine=PyTorch,layer=conv_4,seed=1",
                "drop=2,engine=MXNet,layer=conv_3,seed=1", "drop=2,engine=MXNet,layer=conv_4,seed=1",
                "drop=2,engine=PyTorch,layer=conv_3,seed=1", "drop=2,engine=PyTorch,layer=conv_4,seed=1"), points);
        RunRecord record = first.records().get(0);
        assertEquals("conv_3", record.get("config.defense.layer"));
        assertEquals(100.0, ((Number) record.get("metrics.baseline.attack_success_rate")).doubleValue());
        assertEquals(64, ((String) record.get("hashes.weights")).length());
        assertNotNull(record.get("environment.engine_version"));
        assertEquals(60, ((List<?>) record.get("curve")).size());
    }

    @Test
    void the_engines_agree_point_by_point() {
        for (RunRecord torch : first.records()) {
            if (!torch.point().contains("engine=PyTorch")) {
                continue;
            }
            String other = torch.point().replace("engine=PyTorch", "engine=MXNet");
            RunRecord mxnet = first.records().stream().filter(r -> r.point().equals(other)).findFirst().orElseThrow();
            assertEquals(torch.get("pruned_channels"), mxnet.get("pruned_channels"), other);
            assertEquals(torch.get("metrics"), mxnet.get("metrics"), other);
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
        Experiment.named("lab3-test").model(plan.model()).data(plan.data()).defense(plan.defense())
                .sweep(Sweep.drops(2, 10).layers("conv_3", "conv_4").engines("PyTorch")).device("cpu").run(dir);
        Files.writeString(dir.resolve("results.jsonl"), "{\"config\":{\"da", java.nio.file.StandardOpenOption.APPEND);
        SweepResult resumed = plan.run(dir);
        assertEquals(4, resumed.ran());
        assertEquals(4, resumed.skipped());
        Set<String> expected = new TreeSet<>(withoutTimings(first.records()));
        assertEquals(expected, new TreeSet<>(withoutTimings(resumed.records())));
        assertEquals(0, plan.run(dir).ran(), "a finished sweep runs nothing");
    }

    @Test
    void a_run_folder_of_another_experiment_is_refused() throws IOException {
        Path dir = tmp.resolve("reused");
        plan.run(dir);
        ExperimentPlan otherScale = Experiment.named("lab3-test").model(plan.model().scale(255)).data(plan.data())
                .defense(plan.defense()).sweep(plan.sweep()).device("cpu");
        FinepruneException e = assertThrows(FinepruneException.class, () -> otherScale.run(dir));
        assertTrue(e.getMessage().contains("of another experiment (config.model.scale is 1.0 there, 255.0 here)"),
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
        String edited = lines.get(1).replaceFirst("\"pruned\":(\\d+)", "\"pruned\":99");
        assertFalse(edited.equals(lines.get(1)));
        Files.write(copy.resolve("results.jsonl"), List.of(lines.get(0), edited));
        List<Replay.PointOutcome> outcomes = Replay.replay(copy.resolve("results.jsonl"), null, 0,
                Files.createTempDirectory(tmp, "replay")).points();
        assertTrue(outcomes.get(0).reproduced());
        Replay.PointOutcome bad = outcomes.get(1);
        assertFalse(bad.reproduced());
        assertEquals(RunRecord.parse(lines.get(1)).point(), bad.point());
        assertTrue(bad.problems().stream().anyMatch(p -> p.startsWith("metrics.pruned: recorded 99")), bad.problems().toString());
    }

    @Test
    void replay_refuses_a_changed_data_file() throws IOException {
        Path data = tmp.resolve("changed-data");
        Files.createDirectories(data.resolve("cl"));
        Files.createDirectories(data.resolve("bd"));
        for (String file : List.of("cl/valid.h5", "cl/test.h5", "bd/bd_test.h5")) {
            Files.copy(copiedData.resolve(file), data.resolve(file));
        }
        ExperimentPlan small = Experiment.named("changed").model(plan.model()).data(LabData.at(data))
                .defense(Pruning.meanActivation()).sweep(Sweep.drops(4)).device("cpu");
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
                .filter(l -> l.contains("\"point\":\"drop=2,engine=PyTorch,layer=conv_3")).toList();
        Files.write(copy.resolve("results.jsonl"), torch);
        List<Replay.PointOutcome> outcomes = Replay.replay(copy.resolve("results.jsonl"), "MXNet", 2.0,
                Files.createTempDirectory(tmp, "replay")).points();
        outcomes.forEach(o -> assertTrue(o.reproduced(), o.problems().toString()));
    }

    @Test
    void running_writes_the_records_and_leaves_the_report_to_its_module() {
        assertTrue(Files.isRegularFile(first.runDir().resolve("results.jsonl")));
        assertFalse(Files.exists(first.runDir().resolve("report.md")));
        assertFalse(Files.exists(first.runDir().resolve("summary.csv")));
    }

    private static List<String> withoutTimings(List<RunRecord> records) {
        return records.stream().map(r -> r.withoutTimings().toJsonLine()).toList();
    }
}
