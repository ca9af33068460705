package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fineprune.core.FinepruneException;
import org.fineprune.core.Progress;
import org.fineprune.core.StepListener;
import org.fineprune.defenses.api.Defense;
import org.fineprune.reproducibility.FileHashes;
import org.fineprune.reproducibility.RecordComparison;
import org.fineprune.reproducibility.ResultsLog;
import org.fineprune.reproducibility.RunRecord;

/**
 * Runs the points of an experiment that its run folder does not hold yet, appending one {@link
 * PointRecord} per point to {@code results.jsonl}, for any defense. Points that differ only in their
 * defense's {@linkplain Defense#sharedParameters shared parameters} make one {@link PointGroup},
 * served by one {@link Defense#applyAll} (every drop threshold from one pruning pass); a {@link
 * GroupExecutor} runs the groups, here or on a cluster, and its records are appended in group order.
 * The groups of one BadNet (one recipe of the subject axes, engine and seed) under one protocol come
 * one after the other, so that a runner opens each BadNet once and splits the defender's data as the
 * point's {@link Protocol} says.
 */
final class SweepRunner {
    private final ExperimentPlan plan;
    private final Path runDir;
    private final Progress progress;
    private final GroupExecutor executor;
    /** The plan's defenses by name, looked up once. */
    private final Map<String, Defense> defenses;

    SweepRunner(ExperimentPlan plan, Path runDir, Progress progress) {
        this(plan, runDir, progress, GroupExecutor.local());
    }

    SweepRunner(ExperimentPlan plan, Path runDir, Progress progress, GroupExecutor executor) {
        this.plan = plan;
        this.runDir = runDir;
        this.progress = progress;
        this.executor = executor;
        this.defenses = plan.found();
    }

    SweepResult run() throws IOException {
        // Settings, inputs and the network are checked before the run folder is created.
        List<Point> points = plan.check();
        Map<String, String> inputHashes = hashes(plan.subject().inputs());
        ResultsLog log = ResultsLog.open(runDir);
        Set<String> recorded = log.points();
        requireSameExperiment(log, points, inputHashes);
        List<PointGroup> toRun = new ArrayList<>();
        for (List<Point> group : groups(points)) {
            List<Point> missing = group.stream().filter(p -> !recorded.contains(p.key())).toList();
            if (!missing.isEmpty()) {
                toRun.add(new PointGroup(plan.name(), plan.subject(missing.get(0)), plan.device(), missing,
                        inputHashes));
            }
        }
        int total = toRun.stream().mapToInt(g -> g.points().size()).sum();
        StepListener bar = total == 0 ? StepListener.NONE : progress.start("sweep points");
        int[] ran = {0};
        List<String> failures = new ArrayList<>();
        executor.run(toRun, progress, new GroupExecutor.Results() {
            @Override
            public void completed(PointGroup group, List<RunRecord> records) throws IOException {
                for (RunRecord record : records) {
                    log.append(record);
                }
                ran[0] += records.size();
                bar.onStep(ran[0], total);
            }

            @Override
            public void failed(PointGroup group, String why) {
                failures.add(String.join(", ", group.keys()) + " (" + why + ")");
            }
        });
        if (!failures.isEmpty()) {
            throw new FinepruneException("the points of " + failures.size() + (failures.size() == 1 ? " group" : " groups")
                    + " failed and were not recorded; the " + ran[0] + " points that ran are in " + log.file()
                    + ", and running the sweep again retries the others: " + String.join("; ", failures));
        }
        List<PointRecord> records = new ArrayList<>();
        log.records().forEach(r -> records.add(Records.fromRunRecord(r)));
        return new SweepResult(runDir, records, ran[0], points.size() - ran[0]);
    }

    private static Map<String, String> hashes(Map<String, Path> files) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            hashes.put(file.getKey(), FileHashes.sha256(file.getValue()));
        }
        return hashes;
    }

    /**
     * Refuses to resume from records of another experiment: a point is identified by its axes only,
     * so a run folder reused with other files or settings would otherwise be skipped silently. A
     * setting its record lacks is a parameter the defense gained since; it matches at its default.
     */
    private void requireSameExperiment(ResultsLog log, List<Point> points, Map<String, String> inputHashes) {
        Map<String, Point> byKey = new HashMap<>();
        points.forEach(p -> byKey.put(p.key(), p));
        for (RunRecord record : log.records()) {
            Point point = byKey.get(record.point());
            if (point == null) {
                continue;
            }
            PointRecord recorded = Records.fromRunRecord(record);
            Map<String, String> recordedInputs = new TreeMap<>(recorded.hashes());
            recordedInputs.keySet().retainAll(inputHashes.keySet());
            PointRecord.Config here = GroupRunner.config(plan.subject(point), plan.device(), point).withoutNewDefaults(
                    recorded.config().defense().settings().keySet(), defenses.get(point.defense()).defaults().values());
            var differences = RecordComparison.compare(identity(recorded.point(), recorded.config(), recordedInputs),
                    identity(point.key(), here, inputHashes), 0, Set.of());
            if (!differences.isEmpty()) {
                var first = differences.get(0);
                throw new FinepruneException(log.file() + " holds point " + point.key() + " of another experiment ("
                        + first.path() + " is " + first.expected() + " there, " + first.actual() + " here); "
                        + "choose another run folder or move that one away");
            }
        }
    }

    private static RunRecord identity(String point, PointRecord.Config config, Map<String, String> hashes) {
        return Records.toRunRecord(new PointRecord(PointRecord.SCHEMA, "", point, 0, config, Map.of(), hashes, null,
                Map.of(), null, Map.of()));
    }

    /** Which opened BadNet and defender's split serve {@code point}: its recipe, engine, seed and protocol. */
    private static String benchKey(Point point) {
        return point.subject() + "/" + point.engine() + "/" + point.seed() + "/" + point.protocol();
    }

    /**
     * The points grouped by the run of their defense that can serve them together, in run order, the
     * groups of one BadNet ({@link #benchKey}) brought together in the order each BadNet first appears.
     */
    private List<List<Point>> groups(List<Point> points) {
        Map<String, List<List<Point>>> byBench = new LinkedHashMap<>();
        for (List<Point> group : defenseRuns(points)) {
            byBench.computeIfAbsent(benchKey(group.get(0)), k -> new ArrayList<>()).add(group);
        }
        return byBench.values().stream().flatMap(List::stream).toList();
    }

    private List<List<Point>> defenseRuns(List<Point> points) {
        List<List<Point>> groups = new ArrayList<>();
        for (Point point : points) {
            groups.stream().filter(g -> sharesRun(g.get(0), point)).findFirst().orElseGet(() -> {
                List<Point> group = new ArrayList<>();
                groups.add(group);
                return group;
            }).add(point);
        }
        return groups;
    }

    private boolean sharesRun(Point a, Point b) {
        if (!a.defense().equals(b.defense()) || !benchKey(a).equals(benchKey(b))) {
            return false;
        }
        List<String> shared = defenses.get(a.defense()).sharedParameters();
        Map<String, Object> left = new TreeMap<>(a.settings().values());
        Map<String, Object> right = new TreeMap<>(b.settings().values());
        left.keySet().removeAll(shared);
        right.keySet().removeAll(shared);
        return left.equals(right);
    }
}
