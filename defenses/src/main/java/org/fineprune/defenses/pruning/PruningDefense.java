package org.fineprune.defenses.pruning;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/**
 * The pruning defense of Fine-Pruning (Liu, Dolan-Gavitt and Garg, RAID 2018) behind the {@link
 * Defense} interface: {@link MeanActivationPruning} of one convolution on the clean data, the
 * model {@link PruningCurve#select} keeps for one accuracy-drop threshold as B', and its GoodNet as
 * the detector; one sweep serves every threshold of {@link #applyAll}.
 */
public final class PruningDefense implements Defense {
    /**
     * The default threshold: pruning stops once validation accuracy has fallen by 20 points, which
     * fine-tuning then mostly wins back. Chosen on the Fashion-MNIST BadNet of seed 1 (see
     * docs/results.md); the lab's thresholds are 2, 4, 10 and 30.
     */
    public static final double DEFAULT_DROP = 20;
    /** The drop is in percentage points of validation accuracy (the default). */
    public static final String POINTS = "points";
    /** The drop is in percent of the BadNet's validation accuracy, as BackdoorBench's stopping rule. */
    public static final String RELATIVE = "relative";

    /** The accuracy drop at which pruning stops, shared with every defense that stops on one. */
    public static final Parameter DROP = Parameter.number("drop", DEFAULT_DROP, Range.open(0, 100),
            "stop at this drop in validation accuracy, in percentage points");
    /** The unit of {@link #DROP}. */
    public static final Parameter DROP_UNIT = Parameter.choice("drop-unit", POINTS, List.of(POINTS, RELATIVE),
            "the drop in percentage points, or relative: in percent of the BadNet's validation accuracy");

    /** The parameters of pruning one layer, shared with the defenses that prune first. */
    public static final List<Parameter> PARAMETERS = List.of(
            Parameter.text("layer", "", "convolution to prune; empty for the network's pruning layer (DeepID: conv_3)"),
            DROP,
            DROP_UNIT,
            Parameter.choice("rule", SelectionRule.FIRST_OVER.label(),
                    Arrays.stream(SelectionRule.values()).map(SelectionRule::label).toList(),
                    "keep the first model over the drop, or the last one under it"),
            Parameter.integer("pruning-batch-size", 256, Range.atLeast(1),
                    "images per forward pass when ranking and pruning"));

    @Override
    public String name() {
        return "pruning";
    }

    @Override
    public String description() {
        return "Prunes the least active channels of one convolution until validation accuracy drops.";
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
        layer(this, architecture, settings);
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        return applyAll(net, data, List.of(settings), seed).get(0);
    }

    /** One pruning pass for all of {@code settings}, which differ at most in their drop; one model per drop. */
    @Override
    public List<DefenseResult> applyAll(BadNet net, DefenderData data, List<Settings> settings, long seed)
            throws IOException {
        SharedDrops.require(this, settings);
        if (settings.isEmpty()) {
            return List.of();
        }
        PruningCurve curve = sweep(this, net, data, settings.get(0));
        return SharedDrops.each(settings, s -> {
            PrunedLayer pruned = PrunedLayer.of(curve, s);
            BadNet repaired = net.pruned(curve.layer(), pruned.selection().channels());
            return new DefenseResult(repaired, new GoodNet(net, repaired), pruned.diagnostics(), curve.steps());
        });
    }

    /**
     * The convolution {@code settings} (the {@link #PARAMETERS}) prune in a network of {@code
     * architecture}: their {@code layer}, or the network's pruning layer when it is empty.
     *
     * @throws IllegalArgumentException naming {@code defense}, the parameter and the network's
     *     convolutions, if the layer is not one of them
     */
    public static String layer(Defense defense, Architecture architecture, Settings settings) {
        String layer = settings.text("layer");
        if (layer.isEmpty()) {
            return architecture.pruningLayer();
        }
        try {
            architecture.conv(layer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("defense '" + defense.name() + "': parameter 'layer': "
                    + e.getMessage(), e);
        }
        return layer;
    }

    /**
     * The pruning sweep of {@code settings} (the {@link #PARAMETERS}) on {@code net}: channels ranked
     * on the clean data, accuracy measured on the selection data; its drop does not matter.
     *
     * @throws IllegalArgumentException as {@link #layer}
     * @throws IOException if the clean images cannot be read
     */
    public static PruningCurve sweep(Defense defense, BadNet net, DefenderData data, Settings settings)
            throws IOException {
        PruningConfig config = PruningConfig.lab().layer(layer(defense, net.architecture(), settings))
                .drops(List.of(settings.number("drop"))).rule(SelectionRule.fromLabel(settings.text("rule")))
                .batchSize(settings.integer("pruning-batch-size"));
        return new MeanActivationPruning(config).sweep(net, data.clean(), data.selection(), StepListener.NONE);
    }

    /**
     * The accuracy drop of {@code settings} (the {@link #PARAMETERS}) in percentage points: their
     * {@code drop}, or with {@code drop-unit=relative} that percent of {@code baselineAccuracy}.
     */
    public static double dropPoints(Settings settings, double baselineAccuracy) {
        double drop = settings.number("drop");
        return settings.text("drop-unit").equals(RELATIVE) ? drop * baselineAccuracy / 100 : drop;
    }

    /**
     * The diagnostics every pruning defense gives, a mutable map for a defense to add its own.
     *
     * @param channels the pruned channels by layer, in pruning order
     * @param reached whether a pruning step reached the accuracy drop
     * @param baselineValidAccuracy the BadNet's validation accuracy, in percent
     * @param validAccuracy the kept pruned model's validation accuracy, in percent
     * @param validAccuracies the validation accuracy after each pruning step, in percent
     */
    public static Map<String, Object> diagnostics(Map<String, int[]> channels, boolean reached,
            double baselineValidAccuracy, double validAccuracy, double[] validAccuracies) {
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        diagnostics.put("prunedChannels", channelLists(channels));
        diagnostics.put("reached", reached);
        diagnostics.put("baselineValidAccuracy", baselineValidAccuracy);
        diagnostics.put("validAccuracy", validAccuracy);
        diagnostics.put("validAccuracies", Arrays.stream(validAccuracies).boxed().toList());
        return diagnostics;
    }

    /** Channels by layer as lists, the form diagnostics take (arrays compare by identity). */
    public static Map<String, List<Integer>> channelLists(Map<String, int[]> channels) {
        Map<String, List<Integer>> lists = new LinkedHashMap<>();
        channels.forEach((layer, c) -> lists.put(layer, Arrays.stream(c).boxed().toList()));
        return Collections.unmodifiableMap(lists);
    }

    /**
     * A pruning sweep and the model it keeps.
     *
     * @param curve the sweep
     * @param selection the model kept for the threshold
     */
    public record PrunedLayer(PruningCurve curve, Selection selection) {
        /** The model {@code curve} keeps for the drop and rule of {@code settings}. */
        public static PrunedLayer of(PruningCurve curve, Settings settings) {
            Selection selection = curve.select(List.of(dropPoints(settings, curve.baselineAccuracy())),
                    SelectionRule.fromLabel(settings.text("rule"))).get(0);
            return new PrunedLayer(curve, selection);
        }

        /** The diagnostics of a defense that prunes this way: channels, accuracies and the curve. */
        public Map<String, Object> diagnostics() {
            Map<String, Object> diagnostics = PruningDefense.diagnostics(Map.of(curve.layer(), selection.channels()),
                    selection.reached(), curve.baselineAccuracy(), selection.validAccuracy(), curve.accuracies());
            diagnostics.put("layer", curve.layer());
            diagnostics.put("rankingLayer", curve.rankingLayer());
            return diagnostics;
        }
    }
}
