package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fineprune.attacks.FashionMnistNetworks;
import org.fineprune.core.BadNet;
import org.fineprune.core.Progress;
import org.fineprune.data.LabData;
import org.fineprune.data.testing.FashionMnistFolderFixture;
import org.fineprune.data.testing.LabFolderFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leaderboard: the published grid's points, the estimate it states before it starts (from the
 * checked-in cost table, then from the records of a stopped run), and resuming where a run stopped.
 */
class LeaderboardTest {
    /** A cost table of round numbers, so the estimate is checked by hand. */
    private static final CostTable COSTS = new CostTable(Map.of("pruning", 10.0, "fine-pruning", 20.0, "other", 60.0),
            Map.of("small-cnn", 1.0, "wide-cnn", 3.0, "preact-resnet", 2.0),
            Map.of("small-cnn", 600.0, "wide-cnn", 1800.0, "preact-resnet", 1200.0));

    @TempDir
    Path dir;

    private FashionMnistSubject subject() {
        return FashionMnistSubject.of(dir.resolve("fashion"), dir.resolve("cache"));
    }

    @Test
    void the_published_grid_is_the_wide_cnn_under_three_attacks_and_the_other_nets_under_the_patch() {
        Leaderboard board = Experiment.named("leaderboard").subject(subject()).defenses("pruning", "fine-pruning")
                .leaderboard(Leaderboard.publishedGrids(List.of(1L, 2L, 3L)));
        List<Point> points = board.check();
        assertEquals((3 + 2) * 2 * 3 * 2, points.size()); // grids x defenses x seeds x protocols
        assertEquals(List.of("strict", "backdoorbench"), points.stream().map(p -> p.protocol().name()).distinct().toList());
        assertEquals(List.of("network=wide-cnn,attack=patch", "network=wide-cnn,attack=blend",
                "network=wide-cnn,attack=pruning-aware", "network=small-cnn,attack=patch",
                "network=preact-resnet,attack=patch"), points.stream().map(p -> "network=" + p.subject().get("network")
                        + ",attack=" + p.subject().get("attack")).distinct().toList());
    }

    @Test
    void the_estimate_of_a_new_run_comes_from_the_cost_table_and_counts_the_badnets_to_train() throws IOException {
        Leaderboard board = Experiment.named("leaderboard").subject(subject()).defenses("pruning", "fine-pruning")
                .leaderboard(Leaderboard.publishedGrids(List.of(1L)));
        Path runDir = dir.resolve("run");

        RunEstimate estimate = board.estimate(runDir, COSTS);

        // Points, under each of the two protocols: wide CNN 3 x (10 + 20) x 3, small CNN 10 + 20, ResNet
        // (10 + 20) x 2 = 270 + 30 + 60 = 360 s, so 720 s.
        // Training: wide CNN 1800 x 2 (patch, blend) + 3600 (pruning-aware), small CNN 600, ResNet 1200 = 9000 s.
        assertEquals(20, estimate.points());
        assertEquals(720, estimate.pointSeconds(), 1e-9);
        assertEquals(9000, estimate.trainingSeconds(), 1e-9);
        assertEquals(5, estimate.toTrain().size());
        assertEquals("20 points (0 already recorded), about 2 h 42 min on this machine: 20 to run, 0 timed by the "
                + "records in the run folder, 20 by the checked-in cost table; 5 BadNets to train first (about 2 h "
                + "30 min): the BadNet of seed 1 (wide-cnn, patch at 0.1), the BadNet of seed 1 (wide-cnn, blend at "
                + "0.1), the BadNet of seed 1 (wide-cnn, patch at 0.1, pruning-aware), the BadNet of seed 1 "
                + "(small-cnn, patch at 0.1), the BadNet of seed 1 (preact-resnet, patch at 0.1)", estimate.describe());
        assertFalse(Files.exists(runDir), "an estimate writes nothing");
    }

    @Test
    void a_stopped_run_is_timed_by_its_own_records_and_resumes_where_it_stopped() throws IOException {
        FashionMnistFolderFixture.write(dir.resolve("fashion"), 200, 40);
        Experiment.WithDefenses defenses = Experiment.named("board").subject(subject()).defenses("label-zero", "pruning");
        Leaderboard board = defenses.leaderboard(List.of(Sweep.none().networks("small-cnn").attacks("patch"),
                Sweep.none().networks("small-cnn").attacks("blend")));
        for (ExperimentPlan plan : board.plans()) {
            SubjectAxesTest.cacheRandomBadNets(plan);
        }
        Path runDir = dir.resolve("run");
        new Leaderboard(board.plans().subList(0, 1)).run(runDir, Progress.NONE); // stopped after the first grid

        RunEstimate estimate = board.estimate(runDir, COSTS);

        List<PointRecord> done = Records.read(runDir);
        double expected = done.stream().mapToDouble(r -> r.timings().get("defense_seconds")
                + r.timings().get("evaluation_seconds")).sum();
        assertEquals(4, estimate.points());
        assertEquals(2, estimate.recorded());
        assertEquals(2, estimate.timedByRecords());
        assertEquals(0, estimate.timedByTable());
        assertEquals(expected, estimate.pointSeconds(), 1e-9, "each defense's blend point timed as its patch point");
        assertTrue(estimate.toTrain().isEmpty(), estimate.toTrain().toString());

        SweepResult resumed = board.run(runDir, Progress.NONE);
        assertEquals(2, resumed.ran());
        assertEquals(2, resumed.skipped());
        assertEquals(List.of("attack=patch,defense=label-zero,engine=PyTorch,network=small-cnn,seed=1",
                "attack=patch,defense=pruning,engine=PyTorch,network=small-cnn,seed=1",
                "attack=blend,defense=label-zero,engine=PyTorch,network=small-cnn,seed=1",
                "attack=blend,defense=pruning,engine=PyTorch,network=small-cnn,seed=1"),
                resumed.records().stream().map(PointRecord::point).toList());
    }

    @Test
    void the_checked_in_cost_table_prices_every_network_and_doubles_a_pruning_aware_training() {
        CostTable measured = CostTable.measured();
        assertEquals(new TreeSet<>(FashionMnistNetworks.NAMES), new TreeSet<>(
                measured.networkFactors().keySet()));
        assertEquals(measured.networkFactors().keySet(), measured.trainingSeconds().keySet());
        assertEquals(measured.defenseSeconds().get("other") * measured.networkFactors().get("preact-resnet"),
                measured.pointSeconds("no-such-defense", "preact-resnet"), 1e-9, "a defense not measured there");
        assertEquals(measured.defenseSeconds().get("other"), measured.pointSeconds("no-such-defense", "small-cnn"));
        var wide = subject().along(Map.of("network", "wide-cnn"));
        assertEquals(2 * measured.trainingSeconds(wide.recipe(1)),
                measured.trainingSeconds(wide.along(Map.of("attack", "pruning-aware")).recipe(1)), 1e-9);
    }

    @Test
    void a_leaderboard_on_a_lab_subject_is_refused() throws IOException {
        LabFolderFixture.LabFolder lab = LabFolderFixture.write(dir.resolve("lab"), 7);
        var plan = Experiment.named("lab").model(BadNet.keras(lab.weights())).data(LabData.at(lab.dataDir()))
                .defense("pruning").sweep(Sweep.none());
        assertEquals("a leaderboard runs on the Fashion-MNIST BadNets, not on a lab subject (--model)",
                assertThrows(IllegalArgumentException.class, () -> new Leaderboard(List.of(plan))).getMessage());
    }
}
