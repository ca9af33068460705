package org.fineprune.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The comparison's flags as defense settings ({@code --drop} is the setting {@code drop}, ...): each
 * applies to the defenses that declare it; a flag not given leaves the defenses' own default
 * ({@code bin/fineprune defenses} lists them).
 */
final class DefenseOptions {
    @Option(names = "--drop", paramLabel = "POINTS",
            description = "Stop pruning at the first model whose validation accuracy has fallen by this many points.")
    Double drop;

    @Option(names = "--layers", split = ",", paramLabel = "conv_1,conv_2",
            description = "Conv layers multi-layer fine-pruning prunes, ranked together (default: all).")
    List<String> layers = List.of();

    @Option(names = "--fractions", split = ",", paramLabel = "conv_1=0.25,...",
            description = "Instead of one global ranking, prune at most this share of each layer.")
    Map<String, Double> fractions = new LinkedHashMap<>();

    @Option(names = "--epochs", description = "Fine-tuning epochs.")
    Integer epochs;

    @Option(names = "--learning-rate", description = "Fine-tuning learning rate.")
    Double learningRate;

    @Option(names = "--batch-size", description = "Fine-tuning batch size.")
    Integer batchSize;

    @Option(names = "--optimizer", paramLabel = "adam|sgd", description = "Fine-tuning optimiser; sgd uses momentum 0.9.")
    String optimizer;

    /** The settings these flags give, by parameter name. */
    Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        putIfGiven(settings, "drop", drop);
        putIfGiven(settings, "epochs", epochs);
        putIfGiven(settings, "learning-rate", learningRate);
        putIfGiven(settings, "batch-size", batchSize);
        putIfGiven(settings, "optimizer", optimizer);
        if (!fractions.isEmpty()) {
            if (!layers.isEmpty() && !layers.equals(List.copyOf(fractions.keySet()))) {
                throw new IllegalArgumentException("--layers and --fractions name different layers");
            }
            settings.put("layers", List.copyOf(fractions.keySet()));
            settings.put("fractions", new ArrayList<Object>(fractions.values()));
        } else if (!layers.isEmpty()) {
            settings.put("layers", layers);
        }
        return settings;
    }

    private static void putIfGiven(Map<String, Object> settings, String name, Object value) {
        if (value != null) {
            settings.put(name, value);
        }
    }
}
