package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.ModelSource;
import org.fineprune.data.LabData;

/**
 * The fluent start of an experiment. Each step returns the type of the next allowed step, so the
 * compiler enforces the order subject, defenses, sweep, run:
 *
 * <pre>{@code
 * Experiment.named("lab3-pruning")
 *     .model(BadNet.keras(weights).scale(1))
 *     .data(LabData.at(dir))
 *     .defense("pruning").with("rule", "first-over")
 *     .sweep(Sweep.over("drop", 2, 4, 10, 30).and("layer", "conv_3", "conv_4")
 *             .engines("PyTorch", "MXNet").seeds(1, 2, 3))
 *     .run(Path.of("runs/lab3"));
 * }</pre>
 *
 * Defenses are named as {@code bin/fineprune defenses} lists them; several make the defense axis
 * ({@code .defenses("fine-tuning", "pruning")}). Every step is an immutable value: a partial
 * experiment can be reused for several sweeps. On the Fashion-MNIST BadNets, {@code
 * .leaderboard(Leaderboard.publishedGrids(seeds))} makes a {@link Leaderboard} of several grids.
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

    /** An experiment with a name; next, the model (or the whole subject). @param name the name */
    public record Named(String name) {
        /** Refuses a name that cannot name a run folder. */
        public Named {
            ExperimentPlan.requireFileName(name);
        }

        /** The BadNet to defend, whose data comes next. */
        public WithModel model(ModelSource model) {
            return new WithModel(name, model);
        }

        /** The project's Fashion-MNIST BadNet of each seed, its images in {@code data}, trained BadNets kept in {@code cache}. */
        public WithSubject fashionMnist(Path data, Path cache) {
            return new WithSubject(name, FashionMnistSubject.of(data, cache));
        }

        /** Any subject. */
        public WithSubject subject(Subject subject) {
            return new WithSubject(name, subject);
        }
    }

    /** An experiment with a model; next, the data. @param name the name @param model the model */
    public record WithModel(String name, ModelSource model) {
        /** The validation, test and poisoned files. */
        public WithSubject data(LabData data) {
            return new WithSubject(name, LabSubject.of(model, data));
        }
    }

    /** An experiment with its subject; next, the defenses. @param name the name @param subject the subject */
    public record WithSubject(String name, Subject subject) {
        /** One defense, by name. */
        public WithDefenses defense(String defense) {
            return defenses(defense);
        }

        /** The defense axis: these defenses, by name, each with the same sweep. */
        public WithDefenses defenses(String... names) {
            return new WithDefenses(name, subject, List.of(names), Map.of());
        }
    }

    /**
     * An experiment ready for a sweep, or to run as a single point per defense.
     *
     * @param name the name
     * @param subject the subject
     * @param defenses the defenses
     * @param settings values that hold for every point
     */
    public record WithDefenses(String name, Subject subject, List<String> defenses, Map<String, Object> settings) {
        /**
         * A copy that sets {@code parameter} to {@code value} in every defense that declares it; the
         * value is checked when the points are made.
         */
        public WithDefenses with(String parameter, Object value) {
            Map<String, Object> more = new LinkedHashMap<>(settings);
            more.put(parameter, value);
            return new WithDefenses(name, subject, defenses, more);
        }

        /** The axes to sweep. */
        public ExperimentPlan sweep(Sweep sweep) {
            return new ExperimentPlan(name, subject, defenses, settings, sweep, null);
        }

        /**
         * A leaderboard over these grids of the Fashion-MNIST BadNet's subject axes (each a sweep with its
         * networks, attacks and seeds), every grid with these defenses and settings.
         */
        public Leaderboard leaderboard(List<Sweep> grids) {
            return new Leaderboard(grids.stream().map(this::sweep).toList());
        }

        /** Runs each defense with its settings, PyTorch, seed 1, into {@code runDir}. */
        public SweepResult run(Path runDir) throws IOException {
            return sweep(Sweep.none()).run(runDir);
        }
    }
}
