package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fineprune.core.Progress;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.distributed.Cluster;
import org.fineprune.defenses.api.ParameterType;
import org.fineprune.experiments.ExperimentFile;
import org.fineprune.experiments.ExperimentPlan;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.SubjectAxes;
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
        description = {"Runs every point of defenses x parameter axes x engines x seeds (x networks x attacks x "
                + "poisoning rates of the Fashion-MNIST BadNet), appending records to "
                + "<out>/results.jsonl (resuming where an earlier run stopped), then writes the report.",
                "The subject: --model M with --data DIR or the files --valid, --test and --poisoned; without "
                        + "--model, the project's Fashion-MNIST BadNet of each seed. `bin/fineprune defenses` lists "
                        + "the defenses and their parameters."})
final class SweepCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: the file's 'out', else runs/<name>).")
    Path out;

    @Option(names = "--cluster", split = ",", paramLabel = "HOST[:PORT],...",
            description = "Run the points on the workers of a cluster (`bin/fineprune worker`) at these addresses "
                    + "instead of here; the records are the same, in the same order.")
    List<String> cluster;

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

        @ArgGroup(exclusive = false, multiplicity = "1")
        DefenseAxisOption defenseAxis;

        @Option(names = "--param", paramLabel = "NAME=V1,V2,...",
                description = "One axis per parameter, each value set in turn in every defense that declares it; "
                        + "the values of a list parameter are separated by ';' (layers=conv_1,conv_2;conv_3). "
                        + "Repeatable.")
        Map<String, String> axes = new LinkedHashMap<>();

        @Option(names = "--set", paramLabel = "NAME=VALUE",
                description = "A fixed setting of every defense that declares it. Repeatable.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Option(names = "--model", paramLabel = "M.h5",
                description = "The BadNet (ONNX, Keras model or DeepID weights); without it, the Fashion-MNIST BadNets.")
        Path model;

        @Option(names = "--scale", defaultValue = "1", description = "With --model: input divisor, 1 or 255 "
                + "(default: ${DEFAULT-VALUE}).")
        double scale;

        @ArgGroup(exclusive = false, heading = DataOptions.HEADING)
        DataOptions data = new DataOptions();

        @ArgGroup(exclusive = false)
        FashionMnistOptions fashionMnist = new FashionMnistOptions();

        @Option(names = "--engines", split = ",", paramLabel = "E,...", description = "Engines (default: PyTorch).")
        List<String> engines = List.of();

        @Option(names = "--seeds", split = ",", paramLabel = "S,...", description = "Seeds (default: 1).")
        List<Long> seeds = List.of();

        @Option(names = "--networks", split = ",", paramLabel = "N,...",
                description = "Without --model: a network axis over the Fashion-MNIST BadNet (small-cnn, wide-cnn, "
                        + "preact-resnet).")
        List<String> networks = List.of();

        @Option(names = "--attacks", split = ",", paramLabel = "A,...",
                description = "Without --model: an attack axis (patch, blend, all-to-all, or pruning-aware: the patch "
                        + "trigger trained by the pruning-aware attack).")
        List<String> attacks = List.of();

        @Option(names = "--poison-rates", split = ",", paramLabel = "R,...",
                description = "Without --model: a poisoning-rate axis.")
        List<Double> rates = List.of();

        @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto.")
        String device;

        @ArgGroup(exclusive = false)
        ProtocolOptions protocol = new ProtocolOptions();

        ExperimentPlan plan() {
            Map<String, List<Object>> parameters = new LinkedHashMap<>();
            axes.forEach((name, values) -> parameters.put(name, axisValues(name, values)));
            return new ExperimentPlan(name, SubjectOptions.subject(model, scale, data, fashionMnist),
                    defenseAxis.defenses, new LinkedHashMap<>(settings), new Sweep(parameters, engines, seeds,
                            protocol.protocols(), new SubjectAxes(networks, attacks, rates)), device);
        }

        /**
         * The values of one {@code --param}, still as text for the defense to parse: split at
         * {@code ;} into lists split at {@code ,} where a defense declares a list parameter of that
         * name, else at {@code ,}.
         */
        private List<Object> axisValues(String parameter, String values) {
            if (!isList(parameter)) {
                return new ArrayList<>(Arrays.asList(values.split(",", -1)));
            }
            List<Object> lists = new ArrayList<>();
            for (String list : values.split(";", -1)) {
                lists.add(Arrays.asList(list.split(",", -1)));
            }
            return lists;
        }

        private boolean isList(String parameter) {
            return defenseAxis.defenses.stream().map(Defenses::find).flatMap(d -> d.parameters().stream())
                    .anyMatch(p -> p.name().equals(parameter) && (p.type() == ParameterType.TEXT_LIST
                            || p.type() == ParameterType.NUMBER_LIST));
        }
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
            plan = source.flags.plan();
        }
        plan.check(); // undeclared parameters, values out of range, layers the network lacks: before any work
        runDir = runDir != null ? runDir : Path.of("runs", plan.name());
        // The report's files are checked before the sweep runs.
        OutputFolder reportFolder = SweepReport.claim(runDir, true);
        Progress progress = ProgressBars.forThisProcess().progress();
        SweepResult result = cluster == null ? plan.run(runDir, progress)
                : plan.runOn(Cluster.members(cluster.toArray(String[]::new))).run(runDir, progress);
        SweepReport.write(reportFolder);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("%d points run, %d already recorded; records in %s, report in %s%n", result.ran(),
                result.skipped(), runDir.resolve("results.jsonl"), runDir.resolve("report.md"));
        return 0;
    }
}
