package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fineprune.core.Progress;

/**
 * A leaderboard: attacks x networks x defenses x seeds on the Fashion-MNIST BadNets, as several
 * grids (each an {@link ExperimentPlan} whose sweep has subject axes) of one experiment, every point
 * recorded in one run folder, so that a stopped run resumes where it stopped and the report writes
 * the leaderboard from the records. Built by {@link Experiment.WithDefenses#leaderboard}:
 *
 * <pre>{@code
 * Experiment.named("leaderboard").fashionMnist(data, cache).defenses("fine-pruning", "nad")
 *     .leaderboard(Leaderboard.publishedGrids(List.of(1L, 2L, 3L)))
 *     .run(Path.of("runs/leaderboard"), Progress.NONE);
 * }</pre>
 *
 * @param plans the grids, run in this order
 */
public record Leaderboard(List<ExperimentPlan> plans) {
    /** Checks that the grids are of one experiment on the Fashion-MNIST BadNets. */
    public Leaderboard {
        plans = List.copyOf(plans);
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("a leaderboard needs at least one grid");
        }
        for (ExperimentPlan plan : plans) {
            if (!(plan.subject() instanceof FashionMnistSubject)) {
                throw new IllegalArgumentException("a leaderboard runs on the Fashion-MNIST BadNets, not on a lab "
                        + "subject (--model)");
            }
            if (!plan.name().equals(plans.get(0).name())) {
                throw new IllegalArgumentException("the grids of a leaderboard are of one experiment, not of '"
                        + plans.get(0).name() + "' and '" + plan.name() + "'");
            }
        }
    }

    /**
     * The protocols of the published leaderboard: strict (the defender's own held-out images choose)
     * and BackdoorBench's, so that its numbers can be set beside theirs.
     */
    public static final List<String> PROTOCOLS = List.of(Protocol.STRICT, Protocol.BACKDOORBENCH);

    /**
     * The grids of the published leaderboard (issue 14): the wide CNN under the patch, blend and
     * pruning-aware attacks, and the small CNN and the pre-activation ResNet under the patch attack,
     * each over {@code seeds} and the {@link #PROTOCOLS}.
     */
    public static List<Sweep> publishedGrids(List<Long> seeds) {
        long[] values = seeds.stream().mapToLong(Long::longValue).toArray();
        String[] protocols = PROTOCOLS.toArray(String[]::new);
        return List.of(Sweep.none().networks("wide-cnn").attacks("patch", "blend", SubjectAxes.PRUNING_AWARE)
                        .seeds(values).protocols(protocols),
                Sweep.none().networks("small-cnn", "preact-resnet").attacks("patch").seeds(values)
                        .protocols(protocols));
    }

    /** The experiment's name. */
    public String name() {
        return plans.get(0).name();
    }

    /**
     * Every point of every grid, checked before any work ({@link ExperimentPlan#check}).
     *
     * @throws IllegalArgumentException naming the defense, the parameter and what is allowed
     */
    public List<Point> check() {
        List<Point> points = new ArrayList<>();
        plans.forEach(plan -> points.addAll(plan.check()));
        return points;
    }

    /**
     * How long the points {@code runDir} does not hold yet will take, with the BadNets to train first;
     * reads the run folder's records and the cache, writes nothing.
     *
     * @throws IOException if the records cannot be read
     */
    public RunEstimate estimate(Path runDir, CostTable costs) throws IOException {
        return RunEstimate.of(plans, runDir, costs);
    }

    /**
     * Runs every point not yet recorded in {@code runDir}/results.jsonl, grid by grid, after checking
     * every grid.
     *
     * @throws IOException if a file cannot be read or written
     */
    public SweepResult run(Path runDir, Progress progress) throws IOException {
        check();
        int ran = 0;
        int skipped = 0;
        SweepResult last = null;
        for (ExperimentPlan plan : plans) {
            last = plan.run(runDir, progress);
            ran += last.ran();
            skipped += last.skipped();
        }
        return new SweepResult(runDir, last.records(), ran, skipped);
    }
}
