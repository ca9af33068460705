package org.fineprune.experiments.cli;

import java.nio.file.Path;
import org.fineprune.core.ModelOptions;
import picocli.CommandLine.Option;

/** The options that say which model to load and where to run it. */
public final class ModelMixin {
    @Option(names = "--model", required = true, paramLabel = "M.h5",
            description = "Keras HDF5 weights (save_weights) or full model (save) of the BadNet.")
    Path model;

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

    /** The load options these flags describe. */
    ModelOptions options() {
        return new ModelOptions(scale, engine, device);
    }
}
