package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fineprune.core.StepListener;
import org.fineprune.reproducibility.FileHashes;
import org.fineprune.reproducibility.RecordComparison;
import org.fineprune.reproducibility.ResultsLog;
import org.fineprune.reproducibility.RunRecord;

/**
 * Re-runs every point of a records file ({@code results.jsonl} or any other name) from its record
 * alone and compares the outcome with the record: pruned channels, curve and metrics exactly on the
 * recorded engine, metrics within a tolerance on another one. A data or weights file whose SHA-256
 * differs from the record fails its points without re-running them.
 */
public final class Replay {
    /** Fields that differ between runs by nature. */
    private static final Set<String> SAME_ENGINE_IGNORED = Set.of("timings", "environment");
    /** On another engine, the point's name and configuration name that engine. */
    private static final Set<String> OTHER_ENGINE_IGNORED = Set.of("timings", "environment", "point", "config");

    private Replay() {}

    /**
     * The outcome of replaying one recorded point.
     *
     * @param point the recorded point
     * @param problems what differs, one line each; empty when the point reproduced
     */
    public record PointOutcome(String point, List<String> problems) {
        /** Whether the point reproduced. */
        public boolean reproduced() {
            return problems.isEmpty();
        }
    }

    /**
     * What a replay found.
     *
     * @param file the records file replayed
     * @param points the outcome of each record, in file order
     * @param truncatedRecordSkipped whether the file ended in a record cut short (by a killed run),
     *     which was not replayed
     */
    public record Result(Path file, List<PointOutcome> points, boolean truncatedRecordSkipped) {}

    /**
     * Replays the records of {@code results}, a records file of any name or a run folder (its
     * {@value ResultsLog#FILE_NAME}), on each record's own engine or on {@code engine} when given.
     *
     * @param tolerance absolute tolerance in percentage points for metrics on another engine
     * @param workDir an empty folder for the replayed records
     * @throws IOException if the records file does not exist, cannot be read or holds no records
     */
    public static Result replay(Path results, String engine, double tolerance, Path workDir) throws IOException {
        Path resultsFile = Files.isDirectory(results) ? results.resolve(ResultsLog.FILE_NAME) : results;
        if (!Files.isRegularFile(resultsFile)) {
            throw new IOException(resultsFile + ": no such results file");
        }
        ResultsLog log = ResultsLog.openFile(resultsFile);
        List<RunRecord> records = log.records();
        if (records.isEmpty()) {
            throw new IOException(resultsFile + ": holds no records");
        }
        Map<String, List<String>> problems = new LinkedHashMap<>();
        List<RunRecord> runnable = new ArrayList<>();
        Map<Path, String> hashed = new HashMap<>();
        for (RunRecord record : records) {
            List<String> hashProblems = checkHashes(record, hashed);
            problems.put(record.point(), new ArrayList<>(hashProblems));
            if (hashProblems.isEmpty()) {
                runnable.add(record);
            }
        }
        int pass = 0;
        for (List<RunRecord> group : groups(runnable)) {
            ExperimentPlan plan = merged(group, engine);
            Path dir = workDir.resolve("pass-" + (++pass));
            Map<String, RunRecord> replayed = new LinkedHashMap<>();
            for (RunRecord r : new SweepRunner(plan, dir, StepListener.NONE).run().records()) {
                replayed.put(r.point(), r);
            }
            for (RunRecord original : group) {
                String recordedEngine = (String) original.get("config.engine");
                boolean sameEngine = engine == null || engine.equalsIgnoreCase(recordedEngine);
                String key = sameEngine ? original.point()
                        : original.point().replace("engine=" + recordedEngine, "engine=" + plan.sweep().engines().get(0));
                RunRecord again = replayed.get(key);
                List<String> found = problems.get(original.point());
                if (again == null) {
                    found.add("the replay produced no record " + key);
                    continue;
                }
                RecordComparison.compare(original, again, sameEngine ? 0 : tolerance,
                        sameEngine ? SAME_ENGINE_IGNORED : OTHER_ENGINE_IGNORED)
                        .forEach(d -> found.add(d.toString()));
            }
        }
        List<PointOutcome> outcomes = new ArrayList<>();
        problems.forEach((point, list) -> outcomes.add(new PointOutcome(point, List.copyOf(list))));
        return new Result(resultsFile, List.copyOf(outcomes), log.endsInTruncatedLine());
    }

    /** Differences between the record's SHA-256s and the files'; each file is hashed once per replay. */
    private static List<String> checkHashes(RunRecord record, Map<Path, String> hashed) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Path> file : PointRecord.files(record).entrySet()) {
            Object expected = record.get("hashes." + file.getKey());
            if (!Files.isRegularFile(file.getValue())) {
                problems.add(file.getKey() + " file " + file.getValue() + " is missing");
                continue;
            }
            String actual = hashed.get(file.getValue());
            if (actual == null) {
                actual = FileHashes.sha256(file.getValue());
                hashed.put(file.getValue(), actual);
            }
            if (!actual.equals(expected)) {
                problems.add(file.getKey() + " file " + file.getValue() + ": SHA-256 " + actual
                        + " differs from the record's " + expected);
            }
        }
        return problems;
    }

    /** Records that one pruning pass can replay together: equal but for the drop threshold. */
    private static List<List<RunRecord>> groups(List<RunRecord> records) {
        Map<ExperimentPlan, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord record : records) {
            ExperimentPlan plan = PointRecord.plan(record);
            ExperimentPlan withoutDrop = new ExperimentPlan(plan.name(), plan.model(), plan.data(),
                    plan.defense().drops(List.of(50.0)), plan.sweep().withoutDrops(), plan.device());
            groups.computeIfAbsent(withoutDrop, k -> new ArrayList<>()).add(record);
        }
        return new ArrayList<>(groups.values());
    }

    /** One plan for a group, with all its drops, on {@code engine} when given. */
    private static ExperimentPlan merged(List<RunRecord> group, String engine) {
        ExperimentPlan first = PointRecord.plan(group.get(0));
        List<Double> drops = group.stream().map(r -> ((Number) r.get("config.defense.drop")).doubleValue()).toList();
        Sweep sweep = new Sweep(drops, first.sweep().layers(),
                engine == null ? first.sweep().engines() : List.of(engine), first.sweep().seeds());
        return new ExperimentPlan(first.name(), first.model(), first.data(), first.defense().drops(drops), sweep,
                first.device());
    }
}
