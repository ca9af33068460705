package org.fineprune.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.TrainingConfig;
import org.fineprune.defenses.finepruning.ComparisonConfig;
import org.fineprune.defenses.finetuning.FineTuning;
import picocli.CommandLine.Option;

/** The options of Fine-Pruning's comparison: where pruning stops, what multi-layer pruning prunes, how to fine-tune. */
final class DefenseOptions {
    @Option(names = "--drop", defaultValue = "" + ComparisonConfig.DEFAULT_DROP, paramLabel = "POINTS",
            description = "Stop pruning at the first model whose validation accuracy has fallen by this many "
                    + "points (default: ${DEFAULT-VALUE}).")
    double drop;

    @Option(names = "--layers", split = ",", paramLabel = "conv_1,conv_2",
            description = "Conv layers multi-layer fine-pruning prunes, ranked together (default: all).")
    List<String> layers = List.of();

    @Option(names = "--fractions", split = ",", paramLabel = "conv_1=0.25,...",
            description = "Instead of one global ranking, prune at most this share of each layer.")
    Map<String, Double> fractions = new LinkedHashMap<>();

    @Option(names = "--epochs", defaultValue = "" + FineTuning.DEFAULT_EPOCHS, description = "Fine-tuning epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--learning-rate", defaultValue = "" + FineTuning.DEFAULT_LEARNING_RATE,
            description = "Fine-tuning learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--batch-size", defaultValue = "" + FineTuning.DEFAULT_BATCH_SIZE,
            description = "Fine-tuning batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|sgd",
            description = "Fine-tuning optimiser; sgd uses momentum 0.9 (default: ${DEFAULT-VALUE}).")
    String optimizer;

    /** The comparison settings these flags describe, fine-tuning on {@code engine} with {@code seed}. */
    ComparisonConfig config(String engine, long seed) {
        TrainingConfig tuning = new TrainingConfig(epochs, batchSize, learningRate, seed, engine, optimizer);
        ComparisonConfig config = ComparisonConfig.defaults().drop(drop).fineTuning(tuning);
        if (!fractions.isEmpty()) {
            if (!layers.isEmpty() && !layers.equals(List.copyOf(fractions.keySet()))) {
                throw new IllegalArgumentException("--layers and --fractions name different layers");
            }
            return config.fractions(fractions);
        }
        return layers.isEmpty() ? config : config.layers(layers.toArray(String[]::new));
    }
}
