package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fineprune.core.Evaluation;
import org.fineprune.core.FinepruneException;
import org.fineprune.core.Progress;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.Settings;
import org.fineprune.reproducibility.Environment;
import org.fineprune.reproducibility.FileHashes;
import org.fineprune.reproducibility.RunRecord;

/**
 * Turns {@link PointGroup}s into their records on this machine: the one code path of a local sweep
 * and of a cluster member's task. It checks the SHA-256 of the group's inputs against the
 * experiment's, runs the defense once for the group and scores each point; consecutive groups on the
 * same subject, engine, seed, device and protocol share one opened BadNet and its scores, the
 * defender's data split as the protocol says. Not thread-safe.
 */
public final class GroupRunner implements AutoCloseable {
    private final Progress progress;
    private final Map<Path, String> hashed;
    private final Map<String, Defense> defenses = new HashMap<>();
    private Bench bench;
    private List<Object> benchKey;
    private Scorer scorer;

    /**
     * A runner that hashes each file once.
     *
     * @param progress told when a BadNet is trained
     * @param knownHashes SHA-256 already taken of files on this machine in this run, by path
     */
    public GroupRunner(Progress progress, Map<Path, String> knownHashes) {
        this.progress = progress;
        this.hashed = new HashMap<>(knownHashes);
    }

    /**
     * The records of the group's points, in its order.
     *
     * @throws FinepruneException naming the file, if an input's SHA-256 differs from the experiment's
     * @throws IOException if a file cannot be read
     */
    public List<RunRecord> run(PointGroup group) throws IOException {
        requireExpectedInputs(group);
        Bench opened = bench(group);
        Defense defense = defenses.computeIfAbsent(group.defense(), Defenses::find);
        List<Point> points = group.points();
        List<Settings> settings = points.stream().map(Point::settings).toList();
        long start = System.nanoTime();
        List<DefenseResult> results = defense.applyAll(opened.net(), opened.defender(), settings, group.seed());
        double defenseSeconds = (System.nanoTime() - start) / 1e9;
        try {
            if (results.size() != points.size()) {
                throw new IllegalStateException("defense '" + defense.name() + "' returned " + results.size()
                        + " results for " + points.size() + " settings");
            }
            Map<String, String> hashes = hashes(opened.files());
            List<RunRecord> records = new ArrayList<>();
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
                records.add(Records.toRunRecord(new PointRecord(PointRecord.SCHEMA, group.experiment(), point.key(),
                        point.seed(), config(group, point), defender(opened), environment(opened), hashes,
                        scored.metrics(),
                        result.diagnostics(), steps, timings)));
            }
            return records;
        } finally {
            results.forEach(DefenseResult::close);
        }
    }

    /** What a point's record says decides its outcome. */
    static PointRecord.Config config(Subject subject, String device, Point point) {
        return new PointRecord.Config(subject, new PointRecord.DefenseConfig(point.defense(), point.settings().values()),
                point.engine(), device, point.protocol());
    }

    private static PointRecord.Defender defender(Bench bench) {
        return new PointRecord.Defender(bench.defender().clean().size(), bench.defender().selection().size(),
                bench.defender().heldOut());
    }

    private static PointRecord.Config config(PointGroup group, Point point) {
        return config(group.subject(), group.device(), point);
    }

    private void requireExpectedInputs(PointGroup group) throws IOException {
        for (Map.Entry<String, Path> input : group.subject().inputs().entrySet()) {
            String expected = group.hashes().get(input.getKey());
            String actual = hashes(Map.of(input.getKey(), input.getValue())).get(input.getKey());
            if (!actual.equals(expected)) {
                throw new FinepruneException(input.getKey() + " file " + input.getValue() + ": SHA-256 " + actual
                        + " differs from the experiment's " + expected);
            }
        }
    }

    private Bench bench(PointGroup group) throws IOException {
        List<Object> key = List.of(group.subject(), group.engine(), group.seed(), group.device(), group.protocol());
        if (!key.equals(benchKey)) {
            close();
            bench = group.subject().open(group.engine(), group.device(), group.seed(), progress);
            bench = bench.withDefender(group.protocol().defender(bench.defender(), group.seed()));
            benchKey = key;
            scorer = new Scorer(bench, Evaluation.DEFAULT_BATCH);
        }
        return bench;
    }

    /** The SHA-256 of {@code files}, by role, each file hashed once by this runner. */
    Map<String, String> hashes(Map<String, Path> files) throws IOException {
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

    private static Map<String, Object> environment(Bench bench) {
        Map<String, Object> environment = new LinkedHashMap<>(Environment.describe());
        environment.put("engine", bench.net().engineName());
        environment.put("engine_version", bench.net().engineVersion());
        environment.put("engine_threads", bench.net().engineThreads());
        environment.put("device", bench.net().device());
        return environment;
    }

    /** Closes the opened BadNet, if any. */
    @Override
    public void close() {
        if (bench != null) {
            bench.close();
            bench = null;
            benchKey = null;
            scorer = null;
        }
    }
}
