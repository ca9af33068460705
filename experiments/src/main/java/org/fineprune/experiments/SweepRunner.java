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
import org.fineprune.core.Evaluation;
import org.fineprune.core.FinepruneException;
import org.fineprune.core.Progress;
import org.fineprune.core.StepListener;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Settings;
import org.fineprune.reproducibility.Environment;
import org.fineprune.reproducibility.FileHashes;
import org.fineprune.reproducibility.RecordComparison;
import org.fineprune.reproducibility.ResultsLog;
import org.fineprune.reproducibility.RunRecord;

/**
 * Runs the points of an experiment that its run folder does not hold yet, appending one {@link
 * PointRecord} per point to {@code results.jsonl}, for any defense. Points that differ only in their
 * defense's {@linkplain Defense#sharedParameters shared parameters} are served by one {@link
 * Defense#applyAll} (every drop threshold from one pruning pass). The points of one BadNet (one
 * recipe of the subject axes, engine and seed) under one protocol run one after the other and share
 * one opened BadNet and its scores, so each is opened once, the defender's data split as the point's
 * {@link Protocol} says.
 */
final class SweepRunner {
    private final ExperimentPlan plan;
    private final Path runDir;
    private final Progress progress;
    private final Map<Path, String> hashed = new HashMap<>();
    /** The plan's defenses by name, looked up once. */
    private final Map<String, Defense> defenses;

    SweepRunner(ExperimentPlan plan, Path runDir, Progress progress) {
        this.plan = plan;
        this.runDir = runDir;
        this.progress = progress;
        this.defenses = plan.found();
    }

    SweepResult run() throws IOException {
        // Settings, inputs and the network are checked before the run folder is created.
        List<Point> points = plan.check();
        Map<String, String> inputHashes = hashes(plan.subject().inputs());
        ResultsLog log = ResultsLog.open(runDir);
        Set<String> recorded = log.points();
        requireSameExperiment(log, points, inputHashes);
        int toRun = (int) points.stream().filter(p -> !recorded.contains(p.key())).count();
        StepListener bar = toRun == 0 ? StepListener.NONE : progress.start("sweep points");
        int ran = 0;
        Bench bench = null;
        String benchKey = null;
        Scorer scorer = null;
        try {
            for (List<Point> group : groups(points)) {
                List<Point> missing = group.stream().filter(p -> !recorded.contains(p.key())).toList();
                if (missing.isEmpty()) {
                    continue;
                }
                Point first = missing.get(0);
                String key = benchKey(first);
                if (!key.equals(benchKey)) {
                    if (bench != null) {
                        bench.close();
                        bench = null;
                    }
                    bench = plan.subject(first).open(first.engine(), plan.device(), first.seed(), progress);
                    bench = bench.withDefender(first.protocol().defender(bench.defender(), first.seed()));
                    benchKey = key;
                    scorer = new Scorer(bench, Evaluation.DEFAULT_BATCH);
                }
                runGroup(missing, bench, scorer, log);
                ran += missing.size();
                bar.onStep(ran, toRun);
            }
        } finally {
            if (bench != null) {
                bench.close();
            }
        }
        List<PointRecord> records = new ArrayList<>();
        log.records().forEach(r -> records.add(Records.fromRunRecord(r)));
        return new SweepResult(runDir, records, ran, points.size() - ran);
    }

    private Map<String, String> hashes(Map<String, Path> files) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            String hash = hashed.get(file.getValue());
            if (hash == null) {
                hash = FileHashes.sha256(file.getValue());
                hashed.put(file.getValue(), hash);
            }
            hashes.put(file.getKey(), hash);
        }
        return hashes;
    }

    /**
     * Refuses to resume from records of another experiment: a point is identified by its axes only,
     * so a run folder reused with other files or settings would otherwise be skipped silently.
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
            var differences = RecordComparison.compare(identity(recorded.point(), recorded.config(), recordedInputs),
                    identity(point.key(), config(point), inputHashes), 0, Set.of());
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

    private PointRecord.Config config(Point point) {
        return new PointRecord.Config(plan.subject(point),
                new PointRecord.DefenseConfig(point.defense(), point.settings().values()), point.engine(),
                plan.device(), point.protocol());
    }

    private static PointRecord.Defender defender(Bench bench) {
        return new PointRecord.Defender(bench.defender().clean().size(), bench.defender().selection().size(),
                bench.defender().heldOut());
    }

    /** Which opened BadNet and defender's split serve {@code point}: its recipe, engine, seed and protocol. */
    private static String benchKey(Point point) {
        return point.subject() + "/" + point.engine() + "/" + point.seed() + "/" + point.protocol().name();
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
        if (!a.defense().equals(b.defense()) || !benchKey(a).equals(benchKey(b))
                || !a.protocol().equals(b.protocol())) {
            return false;
        }
        List<String> shared = defenses.get(a.defense()).sharedParameters();
        Map<String, Object> left = new TreeMap<>(a.settings().values());
        Map<String, Object> right = new TreeMap<>(b.settings().values());
        left.keySet().removeAll(shared);
        right.keySet().removeAll(shared);
        return left.equals(right);
    }

    private void runGroup(List<Point> points, Bench bench, Scorer scorer, ResultsLog log) throws IOException {
        Point first = points.get(0);
        Defense defense = defenses.get(first.defense());
        List<Settings> settings = points.stream().map(Point::settings).toList();
        long start = System.nanoTime();
        List<DefenseResult> results = defense.applyAll(bench.net(), bench.defender(), settings, first.seed());
        double defenseSeconds = (System.nanoTime() - start) / 1e9;
        try {
            if (results.size() != points.size()) {
                throw new IllegalStateException("defense '" + defense.name() + "' returned " + results.size()
                        + " results for " + points.size() + " settings");
            }
            Map<String, String> hashes = hashes(bench.files());
            for (int i = 0; i < points.size(); i++) {
                long scoring = System.nanoTime();
                DefenseResult result = results.get(i);
                Scorer.Scored scored = scorer.score(result);
                PointRecord.PruningSteps steps = result.pruningOrder().isEmpty() ? null
                        : scorer.pruningSteps(result.pruningOrder());
                Map<String, Double> timings = new LinkedHashMap<>();
                timings.put("defense_seconds", defenseSeconds);
                timings.put("evaluation_seconds", (System.nanoTime() - scoring) / 1e9);
                if (scored.detectorSecondsPer1000() != null) {
                    timings.put("detector_seconds_per_1000", scored.detectorSecondsPer1000());
                }
                Point point = points.get(i);
                log.append(Records.toRunRecord(new PointRecord(PointRecord.SCHEMA, plan.name(), point.key(),
                        point.seed(), config(point), defender(bench), environment(bench), hashes, scored.metrics(),
                        result.diagnostics(), steps, timings)));
            }
        } finally {
            results.forEach(DefenseResult::close);
        }
    }

    private static Map<String, Object> environment(Bench bench) {
        Map<String, Object> environment = new LinkedHashMap<>(Environment.describe());
        environment.put("engine", bench.net().engineName());
        environment.put("engine_version", bench.net().engineVersion());
        environment.put("device", bench.net().device());
        return environment;
    }
}
