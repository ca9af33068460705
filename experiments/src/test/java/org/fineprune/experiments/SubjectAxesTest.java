package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.core.KerasWeightsWriter;
import org.fineprune.core.Progress;
import org.fineprune.core.StepListener;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.data.LabData;
import org.fineprune.data.testing.FashionMnistFolderFixture;
import org.fineprune.data.testing.LabFolderFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network, attack and poisoning-rate axes of the Fashion-MNIST BadNet: they multiply the
 * points, name them in their keys only when swept, set each point's recipe, open each BadNet once
 * per recipe, engine and seed, and resume and replay as any sweep. The sweeps run on a generated
 * Fashion-MNIST folder whose BadNets are put in the cache beforehand (random small-CNN weights).
 */
class SubjectAxesTest {
    @TempDir
    Path dir;

    private FashionMnistSubject subject() {
        return FashionMnistSubject.of(dir.resolve("fashion"), dir.resolve("cache"));
    }

    /** Puts a small CNN of random weights in the cache for each BadNet of {@code plan} (small CNNs only). */
    static void cacheRandomBadNets(ExperimentPlan plan) throws IOException {
        for (Point point : plan.points()) {
            FashionMnistSubject subject = (FashionMnistSubject) plan.subject(point);
            Path weights = subject.recipe(point.seed()).weightsFile(Path.of(subject.cache()));
            if (Files.notExists(weights)) {
                Files.createDirectories(weights.getParent());
                KerasWeightsWriter.write(weights, SmallCnnWeights.random(point.seed()),
                        KerasWeightsWriter.Layout.WEIGHTS_ONLY);
            }
        }
    }

    @Test
    void subject_axes_multiply_the_points_and_name_them() {
        ExperimentPlan plan = Experiment.named("grid").subject(subject()).defenses("pruning", "label-zero")
                .sweep(Sweep.none().networks("small-cnn", "wide-cnn").attacks("patch", "Blend", "pruning-aware")
                        .rates(0.05).seeds(1, 2));
        List<Point> points = plan.points();
        assertEquals(2 * 3 * 2 * 2, points.size());
        assertEquals(points.size(), new HashSet<>(points.stream().map(Point::key).toList()).size());
        assertEquals("attack=patch,defense=pruning,engine=PyTorch,network=small-cnn,poisoning-rate=0.05,seed=1",
                points.get(0).key());
        assertEquals("attack=pruning-aware,defense=label-zero,engine=PyTorch,network=wide-cnn,poisoning-rate=0.05,"
                + "seed=2", points.get(points.size() - 1).key());
    }

    @Test
    void without_subject_axes_the_keys_are_those_of_before() {
        ExperimentPlan plan = Experiment.named("plain").subject(subject()).defenses("pruning", "label-zero")
                .sweep(Sweep.over("drop", 2, 4).seeds(1, 2));
        assertEquals(List.of("defense=pruning,drop=2,engine=PyTorch,seed=1", "defense=pruning,drop=4,engine=PyTorch,seed=1",
                "defense=pruning,drop=2,engine=PyTorch,seed=2", "defense=pruning,drop=4,engine=PyTorch,seed=2",
                "defense=label-zero,engine=PyTorch,seed=1", "defense=label-zero,engine=PyTorch,seed=2"),
                plan.points().stream().map(Point::key).toList());
        assertEquals(subject(), plan.subject(plan.points().get(0)));
    }

    @Test
    void each_point_has_its_recipe_pruning_aware_being_the_patch_trigger_trained_so() {
        ExperimentPlan plan = Experiment.named("grid").subject(subject().recipe("small-cnn", "patch", 0.1, true))
                .defense("label-zero").sweep(Sweep.none().networks("wide-cnn").attacks("blend", "pruning-aware")
                        .rates(0.01));
        List<FashionMnistSubject> subjects = plan.points().stream().map(p -> (FashionMnistSubject) plan.subject(p))
                .toList();
        assertEquals(subject().recipe("wide-cnn", "blend", 0.01, false), subjects.get(0));
        assertEquals(subject().recipe("wide-cnn", "patch", 0.01, true), subjects.get(1));
    }

    @Test
    void bad_subject_axes_are_refused_before_any_work() throws IOException {
        assertEquals("unknown network 'vgg'; known: " + org.fineprune.attacks.FashionMnistNetworks.NAMES,
                assertThrows(IllegalArgumentException.class, () -> Sweep.none().networks("vgg")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sweep.none().attacks("wanet")).getMessage()
                .startsWith("unknown attack 'wanet'"));
        assertEquals("the poisoning-rate axis: 1.5 is not a share in (0, 1]",
                assertThrows(IllegalArgumentException.class, () -> Sweep.none().rates(1.5)).getMessage());
        LabFolderFixture.LabFolder lab = LabFolderFixture.write(dir.resolve("lab"), 7);
        var onLab = Experiment.named("lab").model(BadNet.keras(lab.weights())).data(LabData.at(lab.dataDir()))
                .defense("pruning");
        assertEquals("the attack, network axes describe the Fashion-MNIST BadNet; a lab subject (--model) is one "
                + "BadNet file", assertThrows(IllegalArgumentException.class,
                        () -> onLab.sweep(Sweep.none().networks("wide-cnn").attacks("blend"))).getMessage());
    }

    @Test
    void each_badnet_is_opened_once_per_recipe_engine_and_seed_and_a_stopped_sweep_resumes() throws IOException {
        FashionMnistFolderFixture.write(dir.resolve("fashion"), 200, 40);
        ExperimentPlan plan = Experiment.named("grid").subject(subject()).defenses("label-zero", "pruning")
                .sweep(Sweep.none().attacks("patch", "blend").seeds(1, 2));
        cacheRandomBadNets(plan);
        List<String> opened = new ArrayList<>();
        Progress counting = phase -> {
            if (phase.startsWith("the BadNet of seed")) {
                opened.add(phase);
            }
            return StepListener.NONE;
        };
        Path run = dir.resolve("run");

        SweepResult first = plan.run(run, counting);
        assertEquals(8, first.ran());
        assertEquals(4, opened.size(), "two attacks x two seeds: " + opened);
        assertEquals(4, new HashSet<>(opened).size(), opened.toString());
        for (PointRecord record : first.records()) {
            FashionMnistSubject recorded = (FashionMnistSubject) record.config().subject();
            assertTrue(record.point().startsWith("attack=" + recorded.attack() + ","), record.point());
            assertEquals(Map.of("attack", recorded.attack()), Point.subjectOf(record.point()));
        }

        // A run stopped after three points: the next one runs the other five, opening only the BadNets they need.
        List<String> lines = Files.readAllLines(run.resolve("results.jsonl"));
        Path stopped = dir.resolve("stopped");
        Files.createDirectories(stopped);
        Files.write(stopped.resolve("results.jsonl"), lines.subList(0, 3));
        opened.clear();
        SweepResult resumed = plan.run(stopped, counting);
        assertEquals(5, resumed.ran());
        assertEquals(3, resumed.skipped());
        assertEquals(3, opened.size(), "the second BadNet, for its other point, then the two blend ones: " + opened);
        assertEquals(8, Files.readAllLines(stopped.resolve("results.jsonl")).size());

        opened.clear();
        assertEquals(0, plan.run(run, counting).ran());
        assertTrue(opened.isEmpty(), opened.toString());

        Replay.Result replayed = Replay.replay(run, null, 0, dir.resolve("replay"));
        assertEquals(8, replayed.points().size());
        replayed.points().forEach(p -> assertTrue(p.reproduced(), p.point() + ": " + p.problems()));
        assertFalse(replayed.truncatedRecordSkipped());
    }
}
