package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fineprune.core.BadNet;
import org.fineprune.core.Classifier;
import org.fineprune.core.Evaluation;
import org.fineprune.core.GoodNet;
import org.fineprune.core.ImageSource;
import org.fineprune.data.FaceImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints the class of each image, one {@code <path> <class>} line per image (the lab's eval.py
 * contract); with a repaired model, the GoodNet's class in [0, N], N the model's class count.
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

    @Parameters(arity = "1..*", paramLabel = "IMAGE",
            description = "Images of the model's input size (the lab's faces: 47 columns x 55 rows, RGB); grey for "
                    + "a one-channel model.")
    List<Path> images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (BadNet net = model.load(model.options())) {
            ImageSource source = FaceImages.source(images, net.architecture().input());
            if (repaired == null) {
                print(out, net, source);
            } else {
                try (BadNet pruned = BadNet.load(repaired, model.options())) {
                    print(out, new GoodNet(net, pruned), source);
                }
            }
        }
        return 0;
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
