package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.fineprune.core.Progress;

/**
 * An experiment plan and where its groups of points run ({@link ExperimentPlan#runOn}); the run
 * folder, its records and their order are those of a run on this machine.
 *
 * @param plan the experiment
 * @param executor what runs its groups
 */
public record PlacedPlan(ExperimentPlan plan, GroupExecutor executor) {
    /** Checks that both are given. */
    public PlacedPlan {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(executor, "executor");
    }

    /**
     * Runs every point not yet recorded in {@code runDir}/results.jsonl.
     *
     * @throws IOException if a file cannot be read or written
     * @throws org.fineprune.core.FinepruneException naming the points, if some failed (the others'
     *     records are kept)
     */
    public SweepResult run(Path runDir) throws IOException {
        return run(runDir, Progress.NONE);
    }

    /**
     * As {@link #run(Path)}, telling {@code progress} of the sweep's points.
     *
     * @throws IOException if a file cannot be read or written
     */
    public SweepResult run(Path runDir, Progress progress) throws IOException {
        return new SweepRunner(plan, runDir, progress, executor).run();
    }
}
