package org.fineprune.cli;

import java.nio.file.Path;
import org.fineprune.core.Architecture;
import org.fineprune.core.BadNet;
import org.fineprune.core.ModelOptions;
import picocli.CommandLine.Option;

/** The options that say which model to load and where to run it. */
public final class ModelMixin {
    @Option(names = "--model", required = true, paramLabel = "M",
            description = "The BadNet, its format found from the content: an ONNX model, a Keras full model"
                    + " (model.save), or Keras weights (save_weights) of DeepID or of --architecture.")
    Path model;

    @Option(names = "--architecture", paramLabel = "A.json|deepid|small-cnn",
            description = "The architecture of a Keras weights file: the JSON of Keras' model.to_json(), or a"
                    + " built-in network (deepid is the default for weights files).")
    Path architecture;

    @Option(names = "--scale", defaultValue = "1", paramLabel = "1|255",
            description = "Divisor applied to raw 0..255 pixels: 1 for the lab3 BadNet, 255 for nets "
                    + "trained on x/255 (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--engine", defaultValue = ModelOptions.DEFAULT_ENGINE, paramLabel = "PyTorch|MXNet",
            description = "Deep learning engine (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "cpu|gpu|auto",
            description = "Device; auto takes a GPU when the engine sees one (default: ${DEFAULT-VALUE}).")
    String device;

    /** Loads the model with {@code options}. */
    BadNet load(ModelOptions options) {
        if (architecture == null) {
            return BadNet.load(model, options);
        }
        return Architecture.builtIn(architecture.toString())
                .map(builtIn -> BadNet.load(model, builtIn, options))
                .orElseGet(() -> BadNet.load(model, architecture, options));
    }

    /** The load options these flags describe. */
    ModelOptions options() {
        return new ModelOptions(scale, engine, device);
    }
}
