package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fineprune.core.BadNet;
import org.fineprune.core.Classifier;
import org.fineprune.core.Evaluation;
import org.fineprune.core.GoodNet;
import org.fineprune.core.ImageSource;
import org.fineprune.data.FaceImages;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints the class of each image, one {@code <path> <class>} line per image (the lab's eval.py
 * contract); with a detector, its class in [0, N], N the model's class count for a flagged image:
 * the GoodNet of a repaired model ({@code --repaired}), or the input detector a defense such as STRIP
 * makes from the clean images of {@code --valid}.
 */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Prints '<path> <class>' for each image (PNG or JPEG) of the model's input size.")
final class ClassifyCommand implements Callable<Integer> {
    @Mixin
    ModelMixin model;

    @Option(names = "--repaired", paramLabel = "Bprime.h5",
            description = "A repaired (pruned) copy of the model: prints the GoodNet's class, which is "
                    + "the model's class count (1283 for lab3) where the two disagree (a likely backdoored input).")
    Path repaired;

    @Option(names = "--detector", paramLabel = "goodnet|strip",
            description = "What flags a likely backdoored input with the model's class count: goodnet (the default with"
                    + " --repaired), or a defense that makes an input detector, such as strip, calibrated on --valid.")
    String detector;

    @Option(names = "--valid", paramLabel = "V.h5",
            description = "Clean labelled images (the lab's valid.h5) a defense's detector calibrates on.")
    Path valid;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "A setting of the detector's defense, such as overlays=32 for strip. Repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--seed", defaultValue = "1",
            description = "The seed of the detector's random choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Parameters(arity = "1..*", paramLabel = "IMAGE",
            description = "Images of the model's input size (the lab's faces: 47 columns x 55 rows, RGB); grey for "
                    + "a one-channel model.")
    List<Path> images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String chosen = detector != null ? detector : repaired != null ? "goodnet" : null;
        checkOptions(chosen);
        PrintWriter out = spec.commandLine().getOut();
        try (BadNet net = model.load(model.options())) {
            ImageSource source = FaceImages.source(images, net.architecture().input());
            if (chosen == null) {
                print(out, net, source);
            } else if (chosen.equals("goodnet")) {
                try (BadNet pruned = BadNet.load(repaired, model.options())) {
                    print(out, new GoodNet(net, pruned), source);
                }
            } else {
                Defense defense = Defenses.find(chosen);
                try (DefenseResult result = defense.apply(net, new DefenderData(LabDataset.open(valid, net)),
                        defense.settings(settings), seed)) {
                    print(out, result.inputDetector().orElseThrow(() -> new IllegalArgumentException(
                            "defense '" + chosen + "' makes no input detector")), source);
                }
            }
        }
        return 0;
    }

    /** Refuses options that do not go with the detector chosen, before any model is loaded. */
    private void checkOptions(String chosen) {
        if ("goodnet".equals(chosen)) {
            if (repaired == null) {
                throw new IllegalArgumentException("--detector goodnet needs --repaired Bprime.h5");
            }
            if (valid != null || !settings.isEmpty()) {
                throw new IllegalArgumentException("--valid and --set are for a defense's detector, not goodnet");
            }
        } else if (chosen != null) {
            if (repaired != null) {
                throw new IllegalArgumentException("--repaired is for --detector goodnet, not " + chosen);
            }
            if (valid == null) {
                throw new IllegalArgumentException("--detector " + chosen + " needs --valid V.h5, the clean images it"
                        + " calibrates on");
            }
        } else if (valid != null || !settings.isEmpty()) {
            throw new IllegalArgumentException("--valid and --set need --detector");
        }
    }

    private void print(PrintWriter out, Classifier classifier, ImageSource source) throws IOException {
        List<Integer> classes = new ArrayList<>();
        source.forEachBatch(Evaluation.DEFAULT_BATCH, batch -> {
            for (int c : classifier.classify(batch)) {
                classes.add(c);
            }
        });
        for (int i = 0; i < images.size(); i++) {
            out.println(images.get(i) + " " + classes.get(i));
        }
    }
}
