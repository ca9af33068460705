package org.fineprune.defenses.finepruning;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fineprune.core.BadNet;
import org.fineprune.core.GoodNet;
import org.fineprune.core.StepListener;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.Range;
import org.fineprune.defenses.api.Settings;
import org.fineprune.defenses.finetuning.FineTuningDefense;
import org.fineprune.defenses.pruning.MultiLayerConfig;
import org.fineprune.defenses.pruning.MultiLayerCurve;
import org.fineprune.defenses.pruning.MultiLayerPruning;
import org.fineprune.defenses.pruning.MultiLayerSelection;
import org.fineprune.defenses.pruning.PruningDefense;
import org.fineprune.defenses.pruning.SelectionRule;

/**
 * Multi-layer fine-pruning (Liu, Dolan-Gavitt and Garg, RAID 2018) behind the {@link Defense}
 * interface: {@link MultiLayerPruning} of several convolutions, globally ranked or each up to its
 * share, then fine-tuning with the pruned channels held at zero, as {@link FinePruning#compare} runs it.
 */
public final class MultiLayerFinePruningDefense implements Defense {
    private static final List<Parameter> PARAMETERS = Stream.of(
            Stream.of(Parameter.texts("layers", List.of(), "convolutions to prune; empty for all of them"),
                    Parameter.numbers("fractions", List.of(), Range.openClosed(0, 1),
                            "at most this share of each of the layers, one per layer; empty for one global ranking")),
            PruningDefense.PARAMETERS.stream().filter(p -> !p.name().equals("layer")),
            FineTuningDefense.PARAMETERS.stream()).flatMap(s -> s).toList();

    @Override
    public String name() {
        return "multi-layer-fine-pruning";
    }

    @Override
    public String description() {
        return "Prunes several convolutions at once, then fine-tunes with the pruned channels masked.";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        settings.requireFor(this);
        MultiLayerConfig config = config(net, settings);
        MultiLayerCurve curve = new MultiLayerPruning(config).sweep(net, data.clean(), StepListener.NONE);
        MultiLayerSelection chosen = curve.select(config.drops(), config.rule()).get(0);
        try (BadNet pruned = net.pruned(chosen.channels())) {
            BadNet tuned = FineTuningDefense.tuning(settings, seed).tune(pruned, data.clean(), StepListener.NONE);
            Map<String, Object> diagnostics = PruningDefense.diagnostics(chosen.channels(), chosen.reached(),
                    curve.baselineAccuracy(), chosen.validAccuracy(), curve.accuracies());
            diagnostics.put("layers", List.copyOf(config.layers()));
            return new DefenseResult(tuned, new GoodNet(net, tuned), diagnostics);
        }
    }

    private MultiLayerConfig config(BadNet net, Settings settings) {
        List<String> layers = settings.texts("layers").isEmpty() ? net.architecture().convLayers()
                : settings.texts("layers");
        List<Double> fractions = settings.numbers("fractions");
        Map<String, Double> shares = new LinkedHashMap<>();
        if (!fractions.isEmpty()) {
            if (fractions.size() != layers.size()) {
                throw new IllegalArgumentException("defense '" + name() + "': " + fractions.size()
                        + " fractions for " + layers.size() + " layers " + layers + "; give one per layer");
            }
            for (int i = 0; i < layers.size(); i++) {
                shares.put(layers.get(i), fractions.get(i));
            }
        }
        layers.forEach(net.architecture()::conv);
        return new MultiLayerConfig(layers, shares, List.of(settings.number("drop")),
                SelectionRule.fromLabel(settings.text("rule")), settings.integer("pruning-batch-size"));
    }
}
