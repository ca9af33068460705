package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.data.LabDataset;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Clean accuracy and attack success rate of a model on the lab's HDF5 files, as the lab's eval.py. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Clean accuracy and attack success rate of a model, as the lab's eval.py.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelMixin model;

    @ArgGroup(exclusive = false, heading = DataOptions.HEADING)
    DataOptions data = new DataOptions();

    @Option(names = "--batch", defaultValue = "256", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch must be positive, got " + batchSize);
        }
        Path clean = data.test();
        Path poisoned = data.poisonedIfGiven();
        long start = System.nanoTime();
        ProgressBars progress = ProgressBars.forThisProcess();
        try (BadNet net = model.load(model.options())) {
            LabDataset cleanSet = LabDataset.open(clean, net);
            LabDataset poisonedSet = poisoned == null ? null : LabDataset.open(poisoned, net);
            Accuracy cleanAccuracy = Evaluation.accuracy(net, progress.track(cleanSet, "clean"), batchSize);
            Accuracy attack = poisonedSet == null ? null
                    : Evaluation.accuracy(net, progress.track(poisonedSet, "poisoned"), batchSize);
            double seconds = (System.nanoTime() - start) / 1e9;
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.line(jsonReport(net, cleanAccuracy, attack, poisonedSet, seconds)));
            } else {
                out.printf("model: %s%n", net);
                out.printf("Clean Classification accuracy: %s%n", cleanAccuracy);
                if (attack != null) {
                    out.println(attackLine(attack, labels(poisonedSet)));
                }
            }
        }
        return 0;
    }

    private Map<String, Object> jsonReport(BadNet net, Accuracy clean, Accuracy attack, LabDataset poisonedSet,
            double seconds) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("clean_accuracy", clean.percent());
        Map<String, Object> images = new LinkedHashMap<>();
        images.put("clean", clean.total());
        Map<String, Object> correct = new LinkedHashMap<>();
        correct.put("clean", clean.hits());
        if (attack != null) {
            int[] labels = labels(poisonedSet);
            if (labels.length == 1) {
                report.put("attack_success_rate", attack.percent());
                report.put("target", labels[0]);
            } else {
                report.put("poisoned_accuracy", attack.percent());
                report.put("poisoned_labels", labels);
            }
            images.put("poisoned", attack.total());
            correct.put("poisoned", attack.hits());
        }
        report.put("images", images);
        report.put("hits", correct);
        report.put("model", net.source().toString());
        report.put("scale", net.options().inputScale());
        report.put("engine", net.engineName());
        report.put("engine_version", net.engineVersion());
        report.put("device", net.device());
        report.put("seconds", seconds);
        return report;
    }

    /** At most this many of the poisoned file's labels are printed on one line. */
    private static final int LABELS_SHOWN = 8;

    /**
     * The attack success rate when the poisoned file names one target; with several labels the
     * figure is only an accuracy on that file, and the line says so.
     */
    static String attackLine(Accuracy attack, int[] labels) {
        if (labels.length == 1) {
            return "Attack Success Rate: " + attack + ", target " + labels[0];
        }
        String shown = Arrays.stream(labels).limit(LABELS_SHOWN).mapToObj(Integer::toString)
                .collect(Collectors.joining(", "));
        return "Accuracy on the poisoned file: " + attack + ", labels " + shown
                + (labels.length > LABELS_SHOWN ? ", ... (" + labels.length + " labels)" : "")
                + " (more than one label: an accuracy, not an attack success rate)";
    }

    /** The distinct labels of the poisoned file: one, the attack's target, for an all-to-one attack. */
    private static int[] labels(LabDataset poisonedSet) {
        return Arrays.stream(poisonedSet.labels()).distinct().sorted().toArray();
    }
}
