package org.fineprune.defenses.clp;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Architecture;
import org.fineprune.core.BadNet;
import org.fineprune.core.GoodNet;
import org.fineprune.core.graph.GraphModel;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.Range;
import org.fineprune.defenses.api.Settings;

/**
 * Channel Lipschitzness-based Pruning, CLP (Zheng, Zhang, Wang, Zhao and Li, "Data-free Backdoor
 * Removal based on Channel Lipschitzness", ECCV 2022): a backdoor channel amplifies the trigger, so
 * its Lipschitz constant is large. In each convolution, every channel whose upper bound ({@link
 * ChannelLipschitz}) exceeds the layer's mean by more than {@code u} standard deviations ({@link
 * Outliers}) is pruned, all at once and without data.
 *
 * <p>B' is the BadNet with those channels pruned ({@link BadNet#pruned(Map)}), the detector its
 * GoodNet. Diagnostics: {@code bounds}, {@code thresholds} and {@code prunedChannels}, each by
 * layer. The defaults are the reference code's: u = 3, every convolution. The clean data and the
 * seed are not used: the same network always gives the same result.
 */
public final class ClpDefense implements Defense {
    /** The reference code's default number of standard deviations. */
    public static final double DEFAULT_U = 3;

    private static final List<Parameter> PARAMETERS = List.of(
            Parameter.number("u", DEFAULT_U, Range.ANY,
                    "prune the channels whose bound exceeds their layer's mean by u standard deviations"),
            Parameter.texts("layers", List.of(), "convolutions to prune; empty for every convolution"));

    @Override
    public String name() {
        return "clp";
    }

    @Override
    public String description() {
        return "Prunes, without data, the channels whose Lipschitz upper bound is an outlier in their layer.";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public void check(Architecture architecture, Settings settings) {
        settings.requireFor(this);
        layers(architecture, settings);
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        settings.requireFor(this);
        GraphModel model = net.graphModel();
        Map<String, List<Double>> bounds = new LinkedHashMap<>();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        Map<String, List<Integer>> prunedLists = new LinkedHashMap<>();
        Map<String, int[]> pruned = new LinkedHashMap<>();
        for (String layer : layers(net.architecture(), settings)) {
            double[] layerBounds = ChannelLipschitz.bounds(model, layer);
            Outliers outliers = Outliers.of(layerBounds, settings.number("u"));
            bounds.put(layer, Arrays.stream(layerBounds).boxed().toList());
            thresholds.put(layer, outliers.threshold());
            prunedLists.put(layer, Arrays.stream(outliers.channels()).boxed().toList());
            if (outliers.channels().length > 0) {
                pruned.put(layer, outliers.channels());
            }
        }
        BadNet repaired = net.pruned(pruned);
        return new DefenseResult(repaired, new GoodNet(net, repaired),
                Map.of("bounds", bounds, "thresholds", thresholds, "prunedChannels", prunedLists));
    }

    /**
     * The convolutions {@code settings} name, or all of {@code architecture}'s when they name none.
     *
     * @throws IllegalArgumentException naming the defense, the parameter and the network's
     *     convolutions, for a layer that is not one of them
     */
    private List<String> layers(Architecture architecture, Settings settings) {
        List<String> layers = settings.texts("layers").stream().distinct().toList();
        if (layers.isEmpty()) {
            return architecture.convLayers();
        }
        for (String layer : layers) {
            try {
                architecture.conv(layer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("defense '" + name() + "': parameter 'layers': " + e.getMessage(), e);
            }
        }
        return layers;
    }
}
