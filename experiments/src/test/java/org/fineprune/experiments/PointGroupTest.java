package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.core.FinepruneException;
import org.fineprune.data.LabData;
import org.fineprune.data.testing.LabFolderFixture;
import org.fineprune.reproducibility.FileHashes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group of points travels as JSON and is turned into records by the code of a local sweep. */
class PointGroupTest {
    @TempDir
    static Path dir;
    static ExperimentPlan plan;
    static PointGroup group;

    @BeforeAll
    static void plan() throws IOException {
        LabFolderFixture.LabFolder lab = LabFolderFixture.write(dir.resolve("lab"), 3);
        plan = Experiment.named("group-test").model(BadNet.keras(lab.weights())).data(LabData.at(lab.dataDir()))
                .defense("pruning").with("rule", "last-under").sweep(Sweep.over("drop", 2, 10.5).and("layer", "conv_3"))
                .device("cpu");
        Map<String, String> hashes = new java.util.TreeMap<>();
        for (Map.Entry<String, Path> input : plan.subject().inputs().entrySet()) {
            hashes.put(input.getKey(), FileHashes.sha256(input.getValue()));
        }
        group = new PointGroup(plan.name(), plan.subject(), plan.device(), plan.points(), hashes);
    }

    @Test
    void a_group_read_back_from_its_json_is_the_same_group() {
        PointGroup again = PointGroup.fromJson(group.toJson());
        assertEquals(group, again);
        assertEquals(List.of("defense=pruning,drop=2,engine=PyTorch,layer=conv_3,seed=1",
                "defense=pruning,drop=10.5,engine=PyTorch,layer=conv_3,seed=1"), again.keys());
        assertEquals("last-under", again.points().get(0).settings().values().get("rule"));
    }

    @Test
    void the_records_of_a_group_are_those_of_the_local_sweep() throws IOException {
        SweepResult local = plan.run(dir.resolve("local"));
        List<String> viaGroup;
        try (GroupRunner runner = new GroupRunner(org.fineprune.core.Progress.NONE, Map.of())) {
            viaGroup = runner.run(PointGroup.fromJson(group.toJson())).stream().map(r -> r.withoutTimings().toJsonLine())
                    .toList();
        }
        assertEquals(local.records().stream().map(r -> Records.toRunRecord(r).withoutTimings().toJsonLine()).toList(),
                viaGroup);
    }

    @Test
    void a_file_that_differs_from_the_experiment_is_named_before_any_work() throws IOException {
        Map<String, String> hashes = new java.util.TreeMap<>(group.hashes());
        hashes.put("test", "0".repeat(64));
        PointGroup changed = new PointGroup(group.experiment(), group.subject(), group.device(), group.points(), hashes);
        try (GroupRunner runner = new GroupRunner(org.fineprune.core.Progress.NONE, Map.of())) {
            FinepruneException e = assertThrows(FinepruneException.class, () -> runner.run(changed));
            assertTrue(e.getMessage().startsWith("test file " + plan.subject().inputs().get("test") + ": SHA-256 "),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith(" differs from the experiment's " + "0".repeat(64)), e.getMessage());
        }
    }

    @Test
    void a_group_of_a_defense_not_on_the_class_path_is_refused_by_name() {
        String json = group.toJson().replace("\"defense\":\"pruning\"", "\"defense\":\"no-such-defense\"");
        FinepruneException e = assertThrows(FinepruneException.class, () -> PointGroup.fromJson(json));
        assertTrue(e.getMessage().contains("no-such-defense"), e.getMessage());
    }

    @Test
    void points_of_different_seeds_make_no_group() {
        List<Point> points = new ExperimentPlan(plan.name(), plan.subject(), plan.defenses(), plan.settings(),
                plan.sweep().seeds(1, 2), plan.device()).points();
        assertThrows(IllegalArgumentException.class,
                () -> new PointGroup(plan.name(), plan.subject(), plan.device(), points, group.hashes()));
    }
}
