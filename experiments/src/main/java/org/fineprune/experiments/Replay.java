package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fineprune.core.DataFormatException;
import org.fineprune.core.Progress;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.reproducibility.Environment;
import org.fineprune.reproducibility.FileHashes;
import org.fineprune.reproducibility.RecordComparison;
import org.fineprune.reproducibility.RecordFormatException;
import org.fineprune.reproducibility.ResultsLog;
import org.fineprune.reproducibility.RunRecord;

/**
 * Re-runs every point of a records file ({@code results.jsonl} or any other name) from its record
 * alone, whatever its defense, and compares the outcome with the record: every field exactly on the
 * recorded engine but the timings and the environment, numbers within a tolerance on another engine.
 * An input file whose SHA-256 differs from the record fails its points without re-running them.
 * Records that one run of their defense can serve together are replayed together.
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
     * @param problems what differs, one line each, naming the field; empty when the point reproduced
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
     * @param tolerance absolute tolerance in percentage points for numbers on another engine
     * @param workDir an empty folder for the replayed records
     * @throws IOException if the records file does not exist, cannot be read or holds no records
     * @throws DataFormatException if a record does not follow the schema
     */
    public static Result replay(Path results, String engine, double tolerance, Path workDir) throws IOException {
        Path file = Files.isDirectory(results) ? results.resolve(ResultsLog.FILE_NAME) : results;
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such results file");
        }
        ResultsLog log = ResultsLog.openFile(file);
        if (log.records().isEmpty()) {
            throw new IOException(file + ": holds no records");
        }
        Map<String, List<String>> problems = new LinkedHashMap<>();
        Map<List<Object>, List<Recorded>> groups = new LinkedHashMap<>();
        Map<Path, String> hashed = new HashMap<>();
        for (RunRecord run : log.records()) {
            PointRecord record;
            try {
                record = Records.fromRunRecord(run);
            } catch (RecordFormatException e) {
                throw new DataFormatException(file + ": " + e.getMessage(), e);
            }
            List<String> hashProblems = checkInputs(record, hashed);
            problems.put(record.point(), new ArrayList<>(hashProblems));
            if (hashProblems.isEmpty()) {
                Recorded recorded = new Recorded(run, record, engine);
                groups.computeIfAbsent(recorded.group(), k -> new ArrayList<>()).add(recorded);
            }
        }
        int pass = 0;
        for (List<Recorded> group : groups.values()) {
            Map<String, PointRecord> replayed = new LinkedHashMap<>();
            SweepResult again = new SweepRunner(plan(group), workDir.resolve("pass-" + (++pass)), Progress.NONE).run();
            again.records().forEach(r -> replayed.put(r.point(), r));
            for (Recorded original : group) {
                List<String> found = problems.get(original.record().point());
                PointRecord replay = replayed.get(original.replayedKey());
                if (replay == null) {
                    found.add("the replay produced no record " + original.replayedKey());
                    continue;
                }
                // A record written before its defense gained a parameter ran it at its default.
                RunRecord rerun = Records.toRunRecord(replay.withConfig(replay.config().withoutNewDefaults(
                        original.record().config().defense().settings().keySet(),
                        Defenses.find(replay.config().defense().name()).defaults().values())));
                boolean sameEngine = original.engine().equals(original.record().config().engine());
                Set<String> ignored = new HashSet<>(sameEngine ? SAME_ENGINE_IGNORED : OTHER_ENGINE_IGNORED);
                RunRecord recorded = original.run();
                if (original.record().defender() == null) {
                    // written before protocols: compared as read, without the defender's image counts
                    recorded = Records.toRunRecord(original.record());
                    ignored.add("defender");
                }
                RecordComparison.compare(recorded, rerun, sameEngine ? 0 : tolerance, ignored)
                        .forEach(d -> found.add(d.toString()));
                if (sameEngine && !found.isEmpty()) {
                    Environment.otherProcessor(original.run()).ifPresent(found::add);
                    Environment.otherEngineThreads(original.run(), rerun).ifPresent(found::add);
                }
            }
        }
        List<PointOutcome> outcomes = new ArrayList<>();
        problems.forEach((point, list) -> outcomes.add(new PointOutcome(point, List.copyOf(list))));
        return new Result(file, List.copyOf(outcomes), log.endsInTruncatedLine());
    }

    /** A record to replay, on the engine it was recorded on or the one asked for. */
    private record Recorded(RunRecord run, PointRecord record, String engine) {
        Recorded {
            engine = engine == null ? record.config().engine() : engine;
        }

        List<String> axes() {
            return Point.axesOf(record.point());
        }

        /** What the records one run can replay share: all but the values of the axes. */
        List<Object> group() {
            Map<String, Object> fixed = new LinkedHashMap<>(record.config().defense().settings());
            axes().forEach(fixed::remove);
            return List.of(record.experiment(), record.config().subject(), record.config().defense().name(), fixed,
                    axes(), engine, record.config().device(), record.seed(), record.config().protocol());
        }

        /** The key the replay gives this point. */
        String replayedKey() {
            String recorded = record.config().engine();
            return record.point().replace("engine=" + recorded, "engine=" + new Sweep(Map.of(), List.of(engine),
                    List.of()).engines().get(0));
        }
    }

    /** The one-defense plan that replays {@code group}: its fixed settings, and each axis over the group's values. */
    private static ExperimentPlan plan(List<Recorded> group) {
        Recorded first = group.get(0);
        PointRecord record = first.record();
        Map<String, Object> fixed = new LinkedHashMap<>(record.config().defense().settings());
        Map<String, String> recipe = Point.subjectOf(record.point());
        Sweep sweep = new Sweep(Map.of(), List.of(first.engine()), List.of(record.seed()),
                List.of(record.config().protocol()), new SubjectAxes(single(recipe.get(SubjectAxes.NETWORK)),
                single(recipe.get(SubjectAxes.ATTACK)),
                single(recipe.get(SubjectAxes.RATE)).stream().map(Double::valueOf).toList()));
        for (String axis : first.axes()) {
            fixed.remove(axis);
            sweep = sweep.and(axis, group.stream().map(r -> r.record().config().defense().settings().get(axis))
                    .distinct().toArray());
        }
        return new ExperimentPlan(record.experiment(), record.config().subject(), List.of(record.config().defense().name()),
                fixed, sweep, record.config().device());
    }

    private static List<String> single(String value) {
        return value == null ? List.of() : List.of(value);
    }

    /** Differences between the record's SHA-256s of its inputs and the files'; each file is hashed once. */
    private static List<String> checkInputs(PointRecord record, Map<Path, String> hashed) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Path> input : record.config().subject().inputs().entrySet()) {
            Path path = input.getValue();
            String expected = record.hashes().get(input.getKey());
            if (!Files.isRegularFile(path)) {
                problems.add(input.getKey() + " file " + path + " is missing");
                continue;
            }
            String actual = hashed.get(path);
            if (actual == null) {
                actual = FileHashes.sha256(path);
                hashed.put(path, actual);
            }
            if (!actual.equals(expected)) {
                problems.add(input.getKey() + " file " + path + ": SHA-256 " + actual + " differs from the record's "
                        + expected);
            }
        }
        return problems;
    }
}
