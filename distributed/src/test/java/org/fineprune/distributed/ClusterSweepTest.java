package org.fineprune.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.executor.LocalExecutorStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fineprune.core.BadNet;
import org.fineprune.core.FinepruneException;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabData;
import org.fineprune.experiments.Experiment;
import org.fineprune.experiments.ExperimentPlan;
import org.fineprune.experiments.GroupExecutor;
import org.fineprune.experiments.PointGroup;
import org.fineprune.experiments.Sweep;
import org.fineprune.experiments.SweepResult;
import org.fineprune.reproducibility.RunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab3 sweep of {@code ../shared/csaw} (pruning, drops 2 and 10 x conv_3 and conv_4 x seeds 1
 * and 2: 8 points in 4 pruning passes) on two workers on loopback in this JVM gives the records of
 * the local runner, byte for byte apart from the timings and in the same order, also when a worker
 * dies mid-task; a group that fails everywhere is named while the others are kept; a resumed run
 * redoes nothing; a worker of another build is refused.
 */
@Tag("real-data")
class ClusterSweepTest {
    @TempDir
    static Path tmp;
    static ExperimentPlan plan;
    static List<String> local;

    @BeforeAll
    static void runLocally() throws IOException {
        plan = lab(Sweep.over("drop", 2, 10).and("layer", "conv_3", "conv_4").seeds(1, 2));
        plan.run(tmp.resolve("local"));
        local = lines(tmp.resolve("local"));
        assertEquals(8, local.size());
    }

    static ExperimentPlan lab(Sweep sweep) {
        return Experiment.named("lab3-cluster").model(BadNet.keras(SharedCsaw.file("models/bd_weights.h5")))
                .data(LabData.at(SharedCsaw.file("data"))).defense("pruning").sweep(sweep).device("cpu");
    }

    /** The records of a run folder, timings left out, in file order. */
    static List<String> lines(Path runDir) throws IOException {
        return Files.readAllLines(runDir.resolve("results.jsonl")).stream()
                .map(l -> RunRecord.parse(l).withoutTimings().toJsonLine()).toList();
    }

    @Test
    void two_workers_write_the_records_of_the_local_run_in_its_order() throws IOException {
        try (LocalWorkers workers = LocalWorkers.start(2)) {
            SweepResult result = plan.runOn(workers.cluster()).run(tmp.resolve("cluster"));
            assertEquals(8, result.ran());
            assertEquals(local, lines(tmp.resolve("cluster")));
            long tasks = workers.workers.stream().mapToLong(w -> w.instance().getExecutorService(
                    HazelcastConfigs.EXECUTOR).getLocalExecutorStats().getStartedTaskCount()).sum();
            assertEquals(4, tasks, "one task per pruning pass, none run twice");
        }
    }

    @Test
    void a_worker_that_dies_mid_task_loses_no_record_and_the_other_finishes() throws Exception {
        try (LocalWorkers workers = LocalWorkers.start(2)) {
            Worker victim = workers.workers.get(0);
            AtomicBoolean killedMidTask = new AtomicBoolean();
            Thread killer = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    LocalExecutorStats stats = victim.instance().getExecutorService(HazelcastConfigs.EXECUTOR)
                            .getLocalExecutorStats();
                    if (stats.getStartedTaskCount() > stats.getCompletedTaskCount()) {
                        killedMidTask.set(true);
                        victim.instance().getLifecycleService().terminate();
                        return;
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            killer.start();
            SweepResult result = plan.runOn(workers.cluster()).run(tmp.resolve("killed"));
            killer.interrupt();
            killer.join();
            assertTrue(killedMidTask.get(), "the worker was stopped while it ran a group");
            assertFalse(victim.running());
            assertEquals(8, result.ran());
            assertEquals(local, lines(tmp.resolve("killed")));
        }
    }

    @Test
    void a_group_that_fails_on_every_worker_is_named_and_the_others_are_kept() throws IOException {
        try (LocalWorkers workers = LocalWorkers.start(2)) {
            Cluster cluster = workers.cluster().attempts(2);
            // The workers find a test file other than the experiment's for the third group (conv_3, seed 2: the
            // groups of one BadNet, seed 1, come first).
            GroupExecutor badFileForGroup2 = (groups, progress, results) -> {
                List<PointGroup> changed = new ArrayList<>(groups);
                PointGroup third = groups.get(2);
                Map<String, String> hashes = new TreeMap<>(third.hashes());
                hashes.put("test", "0".repeat(64));
                changed.set(2, new PointGroup(third.experiment(), third.subject(), third.device(), third.points(),
                        hashes));
                cluster.run(changed, progress, results);
            };
            Path dir = tmp.resolve("bad-file");
            FinepruneException e = assertThrows(FinepruneException.class, () -> plan.runOn(badFileForGroup2).run(dir));
            String message = e.getMessage();
            assertTrue(message.startsWith("the points of 1 group failed and were not recorded; the 6 points that ran are "
                    + "in " + dir.resolve("results.jsonl") + ", and running the sweep again retries the others: "),
                    message);
            assertTrue(message.contains("defense=pruning,drop=2,engine=PyTorch,layer=conv_3,seed=2, "
                    + "defense=pruning,drop=10,engine=PyTorch,layer=conv_3,seed=2 (failed 2 times: "), message);
            for (MemberAddress worker : workers.addresses) {
                assertTrue(message.contains(worker + ": test file " + SharedCsaw.file("data").resolve("cl/test.h5")
                        + ": SHA-256 "), message);
            }
            List<String> kept = new ArrayList<>(local);
            kept.removeIf(l -> l.contains("layer=conv_3,seed=2\""));
            assertEquals(kept, lines(dir));
        }
    }

    @Test
    void a_half_finished_run_resumes_on_the_cluster_or_locally_without_redoing_points() throws IOException {
        try (LocalWorkers workers = LocalWorkers.start(2)) {
            Path onCluster = tmp.resolve("resumed-on-cluster");
            lab(Sweep.over("drop", 2, 10).and("layer", "conv_3").seeds(1, 2)).run(onCluster);
            SweepResult resumed = plan.runOn(workers.cluster()).run(onCluster);
            assertEquals(4, resumed.ran());
            assertEquals(4, resumed.skipped());
            assertEquals(new TreeSet<>(local), new TreeSet<>(lines(onCluster)));
            assertEquals(8, lines(onCluster).size());

            Path locally = tmp.resolve("resumed-locally");
            lab(Sweep.over("drop", 2, 10).and("layer", "conv_4").seeds(1, 2)).runOn(workers.cluster()).run(locally);
            SweepResult finished = plan.run(locally);
            assertEquals(4, finished.ran());
            assertEquals(new TreeSet<>(local), new TreeSet<>(lines(locally)));
            assertEquals(0, plan.runOn(workers.cluster()).run(locally).ran(), "a finished run runs nothing");
        }
    }

    @Test
    void a_cluster_with_a_worker_of_another_build_is_refused_by_submitters_and_workers() {
        LocalWorkers addresses = LocalWorkers.addresses(2);
        try (Worker other = Worker.start(addresses.addresses, addresses.addresses.get(0), 1, "0.0.1-other")) {
            String build = FinepruneBuild.current();
            FinepruneException submitter = assertThrows(FinepruneException.class,
                    () -> plan.runOn(addresses.cluster()).run(tmp.resolve("other-build")));
            assertEquals("member " + addresses.addresses.get(0) + " of the cluster runs Fineprune 0.0.1-other, this "
                    + "submitter " + build + ": every machine of a cluster must run the same Fineprune build",
                    submitter.getMessage());
            FinepruneException worker = assertThrows(FinepruneException.class,
                    () -> Worker.start(addresses.addresses, addresses.addresses.get(1), 1));
            assertEquals("member " + addresses.addresses.get(0) + " of the cluster runs Fineprune 0.0.1-other, this "
                    + "worker " + build + ": every machine of a cluster must run the same Fineprune build",
                    worker.getMessage());
            assertTrue(other.running());
        }
    }

    @Test
    void no_worker_at_the_addresses_is_said_in_one_line() {
        LocalWorkers nobody = LocalWorkers.addresses(1);
        Cluster cluster = Cluster.members(nobody.texts()).connectTimeout(Duration.ofSeconds(2));
        FinepruneException e = assertThrows(FinepruneException.class,
                () -> plan.runOn(cluster).run(tmp.resolve("nobody")));
        assertEquals("no Fineprune worker answered at [" + nobody.addresses.get(0) + "] within 2 s: start one on "
                + "each machine with `bin/fineprune worker --members " + nobody.addresses.get(0) + "`", e.getMessage());
    }
}
