package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fineprune.core.ModelSource;
import org.fineprune.core.StepListener;
import org.fineprune.data.LabData;
import org.fineprune.defenses.pruning.PruningConfig;

/**
 * A complete experiment: model, data, defense and sweep, ready to run. Built by {@link Experiment}'s
 * steps, by the command line's flags or from an experiment file.
 *
 * @param name the experiment's name, recorded with every point
 * @param model the BadNet's weights and input scaling
 * @param data validation, test and poisoned test files
 * @param defense the pruning settings that the sweep's axes vary
 * @param sweep the axes
 * @param device {@code cpu}, {@code gpu} or {@code auto}
 */
public record ExperimentPlan(String name, ModelSource model, LabData data, PruningConfig defense, Sweep sweep,
        String device) {
    /** Validates the name and fills defaults. */
    public ExperimentPlan {
        requireFileName(name);
        sweep = sweep == null ? Sweep.none() : sweep;
        device = device == null ? "auto" : device;
    }

    /**
     * Checks that {@code name} can name the run folder {@code runs/<name>}: one plain file-name
     * component, not {@code .} or {@code ..}.
     *
     * @throws IllegalArgumentException if it cannot
     */
    static void requireFileName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("experiment name must be a plain file name of letters, digits, "
                    + "'.', '_' or '-' (not '.' or '..'), got '" + name + "'");
        }
    }

    /** Every point of the sweep, in run order. */
    public List<SweepPoint> points() {
        return sweep.points(defense.layer(), defense.drops());
    }

    /** A copy on another device. */
    public ExperimentPlan device(String name) {
        return new ExperimentPlan(this.name, model, data, defense, sweep, name);
    }

    /**
     * Runs every point not yet recorded in {@code runDir}/results.jsonl.
     *
     * @throws IOException if a file cannot be read or written
     */
    public SweepResult run(Path runDir) throws IOException {
        return run(runDir, StepListener.NONE);
    }

    /**
     * As {@link #run(Path)}, telling {@code progress} after each pruning pass how many of the points
     * not yet recorded have run.
     *
     * @throws IOException if a file cannot be read or written
     */
    public SweepResult run(Path runDir, StepListener progress) throws IOException {
        return new SweepRunner(this, runDir, progress).run();
    }
}
