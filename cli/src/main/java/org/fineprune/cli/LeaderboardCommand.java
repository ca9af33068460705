package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.experiments.CostTable;
import org.fineprune.experiments.Experiment;
import org.fineprune.experiments.ExperimentPlan;
import org.fineprune.experiments.FashionMnistSubject;
import org.fineprune.experiments.Leaderboard;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.Point;
import org.fineprune.experiments.Protocol;
import org.fineprune.experiments.RunEstimate;
import org.fineprune.experiments.SubjectAxes;
import org.fineprune.experiments.Sweep;
import org.fineprune.experiments.SweepResult;
import org.fineprune.report.SweepReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fineprune leaderboard}: attacks x networks x defenses x seeds on the Fashion-MNIST BadNets
 * ({@link Leaderboard}), its expected time stated before any work, one record per point (a stopped
 * run resumes), then the report and {@code leaderboard.md}.
 */
@Command(name = "leaderboard", mixinStandardHelpOptions = true,
        description = {"Runs attacks x networks x defenses x seeds on the Fashion-MNIST BadNets, one record per point "
                + "in <out>/results.jsonl (a stopped run resumes where it stopped), then writes the report and "
                + "leaderboard.md.",
                "Default grid: wide-cnn x {patch, blend, pruning-aware} and {small-cnn, preact-resnet} x patch, every "
                        + "defense found, seeds 1,2,3. Before any work it prints the plan and its expected time on this "
                        + "machine (from the timings of records already in the run folder, else from the checked-in "
                        + "cost table) with the BadNets still to train; --dry-run stops there.",
                "Protocols: strict and backdoorbench by default (--protocol to choose)."})
final class LeaderboardCommand implements Callable<Integer> {
    @Mixin
    FashionMnistOptions fashionMnist;

    @Option(names = "--defenses", split = ",", paramLabel = "D,...",
            description = "The defenses (default: every defense `bin/fineprune defenses` lists).")
    List<String> defenses = List.of();

    @Option(names = "--networks", split = ",", paramLabel = "N,...",
            description = "With --attacks, one grid of these networks x those attacks instead of the default grid "
                    + "(default with --attacks only: small-cnn).")
    List<String> networks = List.of();

    @Option(names = "--attacks", split = ",", paramLabel = "A,...",
            description = "Attacks of that grid: patch, blend, all-to-all or pruning-aware (the patch trigger trained "
                    + "by the pruning-aware attack); default with --networks only: patch.")
    List<String> attacks = List.of();

    @Option(names = "--seeds", split = ",", paramLabel = "S,...", description = "Seeds (default: 1,2,3).")
    List<Long> seeds = List.of(1L, 2L, 3L);

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "A fixed setting of every defense that declares it. Repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--engine", defaultValue = "PyTorch", description = "The engine (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto.")
    String device;

    @Option(names = "--name", defaultValue = "leaderboard", description = "Experiment name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/<name>).")
    Path out;

    @Mixin
    ProtocolOptions protocol;

    @Option(names = "--dry-run", description = "Print the plan and its expected time, and run nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (fashionMnist.network != null || fashionMnist.attack != null || fashionMnist.pruningAware) {
            throw new IllegalArgumentException("a leaderboard's BadNets are given by --networks and --attacks, not by "
                    + "--network, --attack or --pruning-aware");
        }
        Leaderboard board = leaderboard();
        List<Point> points = board.check(); // settings and layers refused before anything is printed or written
        Path runDir = out != null ? out : Path.of("runs", name);
        RunEstimate estimate = board.estimate(runDir, CostTable.measured());
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(describe(board, points));
        stdout.println(estimate.describe());
        stdout.flush();
        if (dryRun) {
            return 0;
        }
        OutputFolder reportFolder = SweepReport.claim(runDir, true);
        SweepResult result = board.run(runDir, ProgressBars.forThisProcess().progress());
        SweepReport.write(reportFolder);
        stdout.printf("%d points run, %d already recorded; records in %s, leaderboard in %s%n", result.ran(),
                result.skipped(), runDir.resolve("results.jsonl"), runDir.resolve("leaderboard.md"));
        return 0;
    }

    private Leaderboard leaderboard() {
        List<Sweep> grids = networks.isEmpty() && attacks.isEmpty() ? Leaderboard.publishedGrids(seeds)
                : List.of(new Sweep(Map.of(), List.of(), seeds, List.of(), new SubjectAxes(
                        networks.isEmpty() ? List.of(FashionMnistSubject.DEFAULT_NETWORK) : networks,
                        attacks.isEmpty() ? List.of(FashionMnistSubject.DEFAULT_ATTACK) : attacks, List.of())));
        List<String> names = defenses.isEmpty() ? Defenses.all().stream().map(Defense::name).toList() : defenses;
        Experiment.WithDefenses experiment = Experiment.named(name).subject(fashionMnist.subject())
                .defenses(names.toArray(String[]::new));
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            experiment = experiment.with(setting.getKey(), setting.getValue());
        }
        List<ExperimentPlan> plans = new ArrayList<>();
        for (Sweep grid : grids) {
            Sweep sweep = grid.engines(engine);
            sweep = protocol.names.isEmpty() ? sweep.protocols(Leaderboard.PROTOCOLS.toArray(String[]::new))
                    : sweep.protocols(protocol.protocols().toArray(Protocol[]::new));
            plans.add(experiment.sweep(sweep).device(device));
        }
        return new Leaderboard(plans);
    }

    /** The plan in one line: the grids, the defenses and the seeds. */
    private String describe(Leaderboard board, List<Point> points) {
        String grids = board.plans().stream().map(plan -> String.join(", ", plan.sweep().subjects().networks())
                + " x " + String.join(", ", plan.sweep().subjects().attacks())).collect(Collectors.joining("; "));
        ExperimentPlan first = board.plans().get(0);
        return "leaderboard " + board.name() + ": " + grids + "; defenses " + String.join(", ", first.defenses())
                + "; seeds " + first.sweep().seeds().stream().map(String::valueOf).collect(Collectors.joining(", "))
                + "; protocols " + first.sweep().protocols().stream().map(Protocol::name).collect(Collectors.joining(", "))
                + "; " + points.size() + " points on " + first.sweep().engines().get(0);
    }
}
