package org.fineprune.defenses.finepruning;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fineprune.core.Architecture;
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
import org.fineprune.defenses.pruning.SharedDrops;

/**
 * Multi-layer fine-pruning (Liu, Dolan-Gavitt and Garg, RAID 2018) behind the {@link Defense}
 * interface: {@link MultiLayerPruning} of several convolutions, globally ranked or each up to its
 * share, then fine-tuning with the pruned channels held at zero, as the paper runs it.
 * One pruning pass serves every threshold of {@link #applyAll}.
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
    public List<String> sharedParameters() {
        return SharedDrops.PARAMETERS;
    }

    @Override
    public void check(Architecture architecture, Settings settings) {
        settings.requireFor(this);
        config(architecture, settings);
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        return applyAll(net, data, List.of(settings), seed).get(0);
    }

    /**
     * One pruning pass for all of {@code settings}, which differ at most in their drop; each drop's
     * model fine-tuned on its own with {@code seed}.
     */
    @Override
    public List<DefenseResult> applyAll(BadNet net, DefenderData data, List<Settings> settings, long seed)
            throws IOException {
        SharedDrops.require(this, settings);
        if (settings.isEmpty()) {
            return List.of();
        }
        MultiLayerConfig config = config(net.architecture(), settings.get(0));
        MultiLayerCurve curve = new MultiLayerPruning(config).sweep(net, data.clean(), data.selection(),
                StepListener.NONE);
        return SharedDrops.each(settings, s -> {
            MultiLayerSelection chosen = curve.select(List.of(PruningDefense.dropPoints(s, curve.baselineAccuracy())),
                    config.rule()).get(0);
            try (BadNet pruned = net.pruned(chosen.channels())) {
                BadNet tuned = FineTuningDefense.tuning(s, seed).tune(pruned, data.clean(), StepListener.NONE);
                Map<String, Object> diagnostics = PruningDefense.diagnostics(chosen.channels(), chosen.reached(),
                        curve.baselineAccuracy(), chosen.validAccuracy(), curve.accuracies());
                diagnostics.put("layers", List.copyOf(config.layers()));
                return new DefenseResult(tuned, new GoodNet(net, tuned), diagnostics, curve.order());
            }
        });
    }

    /**
     * The pruning of {@code settings} in a network of {@code architecture}.
     *
     * @throws IllegalArgumentException naming this defense, the parameter, its value and the
     *     network's convolutions, for a layer that is not one of them or fractions that are not one per layer
     */
    private MultiLayerConfig config(Architecture architecture, Settings settings) {
        List<String> layers = settings.texts("layers").isEmpty() ? architecture.convLayers()
                : settings.texts("layers");
        try {
            layers.forEach(architecture::conv);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("defense '" + name() + "': parameter 'layers': " + e.getMessage(), e);
        }
        List<Double> fractions = settings.numbers("fractions");
        Map<String, Double> shares = new LinkedHashMap<>();
        if (!fractions.isEmpty()) {
            if (fractions.size() != layers.size()) {
                throw new IllegalArgumentException("defense '" + name() + "': parameter 'fractions': " + fractions
                        + " are " + fractions.size() + " fractions for " + layers.size() + " layers " + layers
                        + "; give one per layer (conv layers of " + architecture.name() + ": "
                        + architecture.convLayers() + ")");
            }
            for (int i = 0; i < layers.size(); i++) {
                shares.put(layers.get(i), fractions.get(i));
            }
        }
        try {
            return new MultiLayerConfig(layers, shares, List.of(settings.number("drop")),
                    SelectionRule.fromLabel(settings.text("rule")), settings.integer("pruning-batch-size"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("defense '" + name() + "': parameter 'layers': " + e.getMessage(), e);
        }
    }
}
