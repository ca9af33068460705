package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import org.fineprune.core.ModelSource;
import org.fineprune.data.LabData;
import org.fineprune.defenses.pruning.PruningConfig;

/**
 * The fluent start of an experiment. Each step returns the type of the next allowed step, so the
 * compiler enforces the order model, data, defense, sweep, run:
 *
 * <pre>{@code
 * Experiment.named("lab3-pruning")
 *     .model(BadNet.keras(weights).scale(1))
 *     .data(LabData.at(dir))
 *     .defense(Pruning.meanActivation().layer("conv_3"))
 *     .sweep(Sweep.drops(2, 4, 10, 30).layers("conv_3", "conv_4").engines("PyTorch", "MXNet").seeds(1, 2, 3))
 *     .run(Path.of("runs/lab3"));
 * }</pre>
 *
 * Every step is an immutable value: a partial experiment can be reused for several sweeps.
 */
public final class Experiment {
    private Experiment() {}

    /**
     * An experiment called {@code name}; the name is recorded with every point and names the default
     * run folder.
     *
     * @throws IllegalArgumentException if the name is not a plain file name, or is {@code .} or {@code ..}
     */
    public static Named named(String name) {
        return new Named(name);
    }

    /** An experiment with a name; next, the model. @param name the name */
    public record Named(String name) {
        /** Refuses a name that cannot name a run folder. */
        public Named {
            ExperimentPlan.requireFileName(name);
        }

        /** The BadNet to defend. */
        public WithModel model(ModelSource model) {
            return new WithModel(name, model);
        }
    }

    /** An experiment with a model; next, the data. @param name the name @param model the model */
    public record WithModel(String name, ModelSource model) {
        /** The validation, test and poisoned files. */
        public WithData data(LabData data) {
            return new WithData(name, model, data);
        }
    }

    /**
     * An experiment with model and data; next, the defense.
     *
     * @param name the name
     * @param model the model
     * @param data the data
     */
    public record WithData(String name, ModelSource model, LabData data) {
        /** The defense and its default settings, which the sweep's axes vary. */
        public WithDefense defense(PruningConfig defense) {
            return new WithDefense(name, model, data, defense);
        }
    }

    /**
     * An experiment ready for a sweep, or to run as a single point.
     *
     * @param name the name
     * @param model the model
     * @param data the data
     * @param defense the defense
     */
    public record WithDefense(String name, ModelSource model, LabData data, PruningConfig defense) {
        /** The axes to sweep. */
        public ExperimentPlan sweep(Sweep sweep) {
            return new ExperimentPlan(name, model, data, defense, sweep, null);
        }

        /** Runs the defense's own settings (one pruning pass, PyTorch) into {@code runDir}. */
        public SweepResult run(Path runDir) throws IOException {
            return sweep(Sweep.none()).run(runDir);
        }
    }
}
