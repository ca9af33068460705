package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.data.testing.LabFolderFixture;
import org.fineprune.reproducibility.RunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep over the protocol axis on a generated lab folder (48 clean validation images): a lab
 * point keeps the key and record it had before protocols, a strict point records its protocol and
 * both image counts, and both replay; a record written before protocols is read as a lab one.
 */
class ProtocolSweepTest {
    @TempDir
    static Path dir;
    static LabFolderFixture.LabFolder lab;
    static SweepResult swept;

    static Experiment.WithDefenses pruning() {
        return Experiment.named("protocols").model(BadNet.keras(lab.weights())).data(lab.data()).defense("pruning")
                .with("drop", 10);
    }

    @BeforeAll
    static void sweep() throws IOException {
        lab = LabFolderFixture.write(dir.resolve("generated"), 7);
        swept = pruning().sweep(Sweep.none().protocols("lab", "strict")).device("cpu").run(dir.resolve("run"));
    }

    private static PointRecord record(String key) {
        return swept.records().stream().filter(r -> r.point().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void a_lab_point_keeps_its_key_and_record_and_a_strict_one_names_its_protocol() throws IOException {
        assertEquals(List.of("defense=pruning,engine=PyTorch,seed=1", "defense=pruning,engine=PyTorch,protocol=strict,seed=1"),
                swept.records().stream().map(PointRecord::point).toList());
        PointRecord labRecord = record("defense=pruning,engine=PyTorch,seed=1");
        assertEquals(Protocol.lab(), labRecord.config().protocol());
        assertEquals(new PointRecord.Defender(48, 48, false), labRecord.defender());
        SweepResult without = pruning().sweep(Sweep.none()).device("cpu").run(dir.resolve("no-protocols"));
        assertEquals(Records.toRunRecord(without.records().get(0)).withoutTimings(),
                Records.toRunRecord(labRecord).withoutTimings(), "no protocol axis is the lab protocol");

        PointRecord strict = record("defense=pruning,engine=PyTorch,protocol=strict,seed=1");
        assertEquals(Protocol.strict(0.2), strict.config().protocol());
        assertEquals(new PointRecord.Defender(38, 10, true), strict.defender());
        RunRecord line = Records.toRunRecord(strict);
        assertEquals("strict", line.get("config.protocol.name"));
        assertEquals(0.2, line.get("config.protocol.selection_share"));
        assertEquals(10, line.get("defender.selection_images"));
        assertEquals(38, line.get("defender.clean_images"));
        assertEquals(true, line.get("defender.held_out"));
    }

    @Test
    void a_replay_reproduces_the_strict_record_and_a_finished_sweep_runs_nothing() throws IOException {
        List<Replay.PointOutcome> outcomes = Replay.replay(swept.runDir(), null, 0, Files.createTempDirectory(dir,
                "replay")).points();
        assertEquals(2, outcomes.size());
        outcomes.forEach(o -> assertTrue(o.reproduced(), o.point() + ": " + o.problems()));
        assertEquals(0, pruning().sweep(Sweep.none().protocols("lab", "strict")).device("cpu").run(swept.runDir())
                .ran());
    }

    @Test
    void a_resumed_run_with_another_selection_share_is_refused() {
        var other = pruning().sweep(Sweep.none().protocols(Protocol.lab(), Protocol.strict(0.3))).device("cpu");
        var e = assertThrows(org.fineprune.core.FinepruneException.class, () -> other.run(swept.runDir()));
        assertTrue(e.getMessage().contains("config.protocol.selection_share is 0.2 there, 0.3 here"), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_record_written_before_protocols_is_read_and_replayed_as_a_lab_record() throws IOException {
        Map<String, Object> old = new LinkedHashMap<>(Records.toRunRecord(record("defense=pruning,engine=PyTorch,seed=1"))
                .asMap());
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) old.get("config"));
        config.remove("protocol");
        old.put("config", config);
        old.remove("defender");
        RunRecord before = RunRecord.of(old);
        PointRecord read = Records.fromRunRecord(before);
        assertEquals(Protocol.lab(), read.config().protocol());
        assertNull(read.defender());
        Path file = Files.writeString(dir.resolve("old.jsonl"), before.toJsonLine() + "\n");
        Replay.PointOutcome outcome = Replay.replay(file, null, 0, Files.createTempDirectory(dir, "old")).points().get(0);
        assertTrue(outcome.reproduced(), outcome.problems().toString());
    }

    @Test
    void backdoorbench_on_a_lab_subject_is_refused_before_any_work() {
        Path runDir = dir.resolve("refused");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pruning().sweep(Sweep.none().protocols("backdoorbench")).device("cpu").run(runDir));
        assertTrue(e.getMessage().startsWith("protocol backdoorbench takes 5% of the BadNet's training images"),
                e.getMessage());
        assertFalse(Files.exists(runDir));
    }
}
