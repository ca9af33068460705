package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fineprune.experiments.Replay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Re-runs every recorded point from its record and says, point by point, whether it reproduced. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Re-runs each point of a records file from the record alone and compares pruned "
                + "channels, curve and metrics (exactly on the recorded engine). Exits 1 on any mismatch or "
                + "when a file's SHA-256 differs from the record.")
final class ReproduceCommand implements Callable<Integer> {
    /** Exit code when a point does not reproduce. */
    static final int MISMATCH = 1;

    @Parameters(paramLabel = "RESULTS.jsonl",
            description = "The records file to replay (any name), or a run folder for its results.jsonl.")
    Path results;

    @Option(names = "--engine", description = "Replay on this engine instead of each record's own.")
    String engine;

    @Option(names = "--tolerance", defaultValue = "2.0",
            description = "Largest difference, in percentage points, allowed for metrics and curve points when "
                    + "replaying on another engine (default: ${DEFAULT-VALUE}); on the same engine it is 0.")
    double tolerance;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path work = Files.createTempDirectory("fineprune-replay");
        try {
            Replay.Result result = Replay.replay(results, engine, tolerance, work);
            if (result.truncatedRecordSkipped()) {
                spec.commandLine().getErr().println("1 truncated record at the end of " + result.file()
                        + " was skipped");
            }
            List<Replay.PointOutcome> outcomes = result.points();
            PrintWriter out = spec.commandLine().getOut();
            long failed = 0;
            for (Replay.PointOutcome outcome : outcomes) {
                if (outcome.reproduced()) {
                    out.println("ok        " + outcome.point());
                } else {
                    failed++;
                    out.println("MISMATCH  " + outcome.point());
                    outcome.problems().forEach(p -> out.println("          " + p));
                }
            }
            out.printf("%d of %d points reproduced%n", outcomes.size() - failed, outcomes.size());
            return failed == 0 ? 0 : MISMATCH;
        } finally {
            deleteTree(work);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
