package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fineprune.core.BadNet;
import org.fineprune.defenses.pruning.Pruning;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.SelectionRule;
import org.fineprune.experiments.ExperimentFile;
import org.fineprune.experiments.ExperimentPlan;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.Sweep;
import org.fineprune.experiments.SweepResult;
import org.fineprune.report.SweepReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a sweep described by flags or by an experiment file (JSON or YAML) that mirrors the DSL;
 * a thin layer over {@link ExperimentPlan#run} and {@link SweepReport}.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Runs every point of drops x layers x engines x seeds, appending records to "
                + "<out>/results.jsonl (resuming where an earlier run stopped), then writes the report.")
final class SweepCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: the file's 'out', else runs/<name>).")
    Path out;

    @Spec
    CommandSpec spec;

    /** Either an experiment file or flags. */
    static final class Source {
        @Option(names = "--file", required = true, paramLabel = "EXPERIMENT.yaml",
                description = "Experiment file (JSON or YAML) mirroring the DSL.")
        Path file;

        @ArgGroup(exclusive = false)
        Flags flags;
    }

    /** The experiment as flags. */
    static final class Flags {
        @Option(names = "--name", defaultValue = "sweep", description = "Experiment name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--model", required = true, paramLabel = "M.h5", description = "Keras HDF5 weights of the BadNet.")
        Path model;

        @Option(names = "--scale", defaultValue = "1", description = "Input divisor, 1 or 255 (default: ${DEFAULT-VALUE}).")
        double scale;

        @ArgGroup(exclusive = false, heading = DataOptions.HEADING)
        DataOptions data = new DataOptions();

        @Option(names = "--drops", split = ",", paramLabel = "D,...",
                description = "Accuracy-drop thresholds (default: 2,4,10,30).")
        List<Double> drops = List.of();

        @Option(names = "--layers", split = ",", paramLabel = "L,...", description = "Conv layers (default: conv_3).")
        List<String> layers = List.of();

        @Option(names = "--engines", split = ",", paramLabel = "E,...", description = "Engines (default: PyTorch).")
        List<String> engines = List.of();

        @Option(names = "--seeds", split = ",", paramLabel = "S,...", description = "Seeds (default: 1).")
        List<Long> seeds = List.of();

        @Option(names = "--rule", defaultValue = "first-over", description = "first-over or last-under.")
        String rule;

        @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto.")
        String device;
    }

    @Override
    public Integer call() throws IOException {
        ExperimentPlan plan;
        Path runDir = out;
        if (source.file != null) {
            ExperimentFile file = ExperimentFile.read(source.file);
            plan = file.plan();
            runDir = runDir != null ? runDir : file.out();
        } else {
            Flags f = source.flags;
            PruningConfig defense = Pruning.meanActivation().rule(SelectionRule.fromLabel(f.rule));
            plan = new ExperimentPlan(f.name, BadNet.keras(f.model).scale(f.scale), f.data.all(), defense,
                    new Sweep(f.drops, f.layers, f.engines, f.seeds), f.device);
        }
        runDir = runDir != null ? runDir : Path.of("runs", plan.name());
        // The report's files are checked before the sweep runs.
        OutputFolder reportFolder = SweepReport.claim(runDir, true);
        SweepResult result = plan.run(runDir, ProgressBars.forThisProcess().steps("sweep points"));
        SweepReport.write(reportFolder);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("%d points run, %d already recorded; records in %s, report in %s%n", result.ran(),
                result.skipped(), runDir.resolve("results.jsonl"), runDir.resolve("report.md"));
        return 0;
    }
}
