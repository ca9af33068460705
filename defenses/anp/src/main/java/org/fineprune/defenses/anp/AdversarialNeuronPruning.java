package org.fineprune.defenses.anp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.core.Architecture;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.ArrayImagesReader;
import org.fineprune.core.BadNet;
import org.fineprune.core.ChannelScaling;
import org.fineprune.core.Evaluation;
import org.fineprune.core.GoodNet;
import org.fineprune.core.LayerChannel;
import org.fineprune.core.PruningCache;
import org.fineprune.core.StepListener;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.Range;
import org.fineprune.defenses.api.Settings;
import org.fineprune.defenses.pruning.PruningCurve;
import org.fineprune.defenses.pruning.PruningDefense;
import org.fineprune.defenses.pruning.SelectionRule;

/**
 * Adversarial Neuron Pruning, ANP (Wu and Wang, "Adversarial Neuron Pruning Purifies Backdoored
 * Deep Models", NeurIPS 2021; reference code github.com/csdongxian/ANP_backdoor): backdoor neurons
 * are the ones whose small perturbation flips the network's answers, so a mask per channel is
 * optimised to keep the clean loss low under the worst multiplicative noise on the channels ({@link
 * MaskOptimization}, on the defender's clean images only), and the channels whose mask ends low
 * are pruned: those with a mask at most {@code threshold}, or the {@code count} lowest. B' is the
 * pruned BadNet, the detector its GoodNet, and the pruning order every masked channel by ascending
 * mask.
 *
 * <p>Neither rule looks at accuracy, and a threshold that suits one network can prune most of
 * another (docs/results.md). The rules {@code first-over} and {@code last-under} instead prune along
 * the ascending masks until the selection images' accuracy has fallen by {@code drop}, as
 * Fine-Pruning's pruning stops: the first model at or over the drop, or the last one under it.
 * BackdoorBench's ANP keeps, among the models within 10% of the BadNet's accuracy, the one with the
 * lowest attack success on its test set; a defender cannot measure that, and the deepest pruning
 * within the drop ({@code last-under}, which the {@code backdoorbench} protocol gives) is what it
 * can do instead.
 *
 * <p>The masks and noise act on the batch normalisation right after a convolution where the network
 * has one (its gamma and beta, as the reference perturbs them), else on the convolution's output (its
 * kernel and bias: DeepID has no batch normalisation); see {@link ChannelScaling}. Unlike the
 * reference, batch normalisations keep their running statistics during the optimisation, and a
 * pruned channel is zeroed as every Fineprune pruning zeroes it (the whole unit output, where the
 * reference zeroes gamma alone).
 *
 * <p>The defaults are the reference's: eps 0.4, alpha 0.2, mask learning rate 0.2, one noise step,
 * 2,000 iterations of 128 images, threshold 0.2.
 */
public final class AdversarialNeuronPruning implements Defense {
    private static final String THRESHOLD = "threshold";
    private static final String COUNT = "count";

    private static final List<Parameter> PARAMETERS = List.of(
            Parameter.number("eps", 0.4, Range.atLeast(0), "bound of the multiplicative noise on each channel"),
            Parameter.number("alpha", 0.2, new Range(0, true, 1, true),
                    "weight of the loss without noise against the loss with it"),
            Parameter.number("mask-lr", 0.2, Range.above(0), "SGD learning rate of the masks (momentum 0.9)"),
            Parameter.integer("iterations", 2000, Range.atLeast(1), "mini-batches of the mask optimisation"),
            Parameter.integer("batch-size", 128, Range.atLeast(1), "images per mini-batch, drawn with replacement"),
            Parameter.integer("noise-steps", 1, Range.atLeast(1), "sign steps toward the worst noise per mini-batch"),
            Parameter.choice("rule", THRESHOLD, List.of(THRESHOLD, COUNT, SelectionRule.FIRST_OVER.label(),
                    SelectionRule.LAST_UNDER.label()), "prune the channels whose mask is at most the threshold, the"
                            + " count lowest, or lowest first until the selection accuracy drops by drop: the first"
                            + " model over it or the last under it"),
            Parameter.number(THRESHOLD, 0.2, new Range(0, true, 1, true), "mask value at or under which a channel is pruned"),
            Parameter.integer(COUNT, 0, Range.atLeast(0), "channels to prune, lowest masks first, with rule=count"),
            PruningDefense.DROP,
            PruningDefense.DROP_UNIT,
            Parameter.texts("layers", List.of(), "convolutions whose channels get masks; empty for all of them"));

    @Override
    public String name() {
        return "anp";
    }

    @Override
    public String description() {
        return "Adversarial Neuron Pruning: prunes the channels whose optimised mask ends low under adversarial noise.";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public void check(Architecture architecture, Settings settings) {
        settings.requireFor(this);
        List<String> convs = layers(architecture, settings);
        int channels = convs.stream().mapToInt(c -> architecture.conv(c).outputs()).sum();
        if (settings.text("rule").equals(COUNT) && settings.integer(COUNT) > channels) {
            throw new IllegalArgumentException("defense 'anp': parameter 'count': " + settings.integer(COUNT)
                    + " channels to prune, but the masked layers " + convs + " have " + channels);
        }
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        Architecture architecture = net.architecture();
        check(architecture, settings);
        List<String> convs = layers(architecture, settings);
        ArrayImages clean = ArrayImagesReader.read(data.clean(), architecture.input());
        Map<String, float[]> masks = new MaskOptimization(settings.number("eps"), settings.number("alpha"),
                settings.number("mask-lr"), settings.integer("iterations"), settings.integer("batch-size"),
                settings.integer("noise-steps")).masks(net, clean, convs, seed);
        List<LayerChannel> order = ascending(masks);
        Pruned pruned = switch (settings.text("rule")) {
            case COUNT -> new Pruned(order.subList(0, settings.integer(COUNT)), Map.of());
            case THRESHOLD -> new Pruned(order.stream()
                    .takeWhile(c -> masks.get(c.layer())[c.channel()] <= settings.number(THRESHOLD)).toList(), Map.of());
            default -> untilDrop(net, convs, data, order, settings);
        };
        BadNet repaired = net.pruned(LayerChannel.byLayer(pruned.channels()));
        try {
            Map<String, Object> diagnostics = diagnostics(architecture, masks, pruned.channels(),
                    Evaluation.accuracy(repaired, data.selection(), Evaluation.DEFAULT_BATCH).percent());
            diagnostics.putAll(pruned.stop());
            return new DefenseResult(repaired, new GoodNet(net, repaired), diagnostics, order);
        } catch (RuntimeException e) {
            repaired.close();
            throw e;
        }
    }

    /**
     * The channels a rule prunes, the first of the pruning order.
     *
     * @param channels the pruned channels, in pruning order
     * @param stop what a drop rule measured to stop (empty for the rules that measure nothing)
     */
    private record Pruned(List<LayerChannel> channels, Map<String, Object> stop) {}

    /**
     * The first channels of {@code order} that the drop rule of {@code settings} keeps pruned, the
     * selection images' accuracy measured after every step; the stop holds that curve, the BadNet's
     * accuracy and whether the drop was reached.
     */
    private static Pruned untilDrop(BadNet net, List<String> convs, DefenderData data, List<LayerChannel> order,
            Settings settings) throws IOException {
        try (PruningCache cache = PruningCache.build(net, convs, data.selection(), Evaluation.DEFAULT_BATCH,
                List.of())) {
            double baseline = Accuracy.of(cache.originalClasses(), cache.labels()).percent();
            double[] accuracies = cache.accuracies(order, StepListener.NONE);
            int firstOver = PruningCurve.firstOver(PruningDefense.dropPoints(settings, baseline), order.size(),
                    k -> baseline - accuracies[k - 1]);
            Map<String, Object> stop = new LinkedHashMap<>();
            stop.put("reached", firstOver > 0);
            stop.put("baselineValidAccuracy", baseline);
            stop.put("validAccuracies", Arrays.stream(accuracies).boxed().toList());
            int kept = SelectionRule.fromLabel(settings.text("rule")).pruned(firstOver, order.size());
            return new Pruned(order.subList(0, kept), stop);
        }
    }

    /**
     * The convolutions {@code settings} mask: their {@code layers}, or every convolution when empty.
     *
     * @throws IllegalArgumentException naming the parameter and the network's convolutions, for a
     *     layer that is not one of them
     */
    private static List<String> layers(Architecture architecture, Settings settings) {
        List<String> layers = settings.texts("layers");
        if (layers.isEmpty()) {
            return architecture.convLayers();
        }
        for (String layer : layers) {
            try {
                architecture.conv(layer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("defense 'anp': parameter 'layers': " + e.getMessage(), e);
            }
        }
        return layers.stream().distinct().toList();
    }

    /** Every masked channel by ascending mask; ties in layer order, then channel order. */
    static List<LayerChannel> ascending(Map<String, float[]> masks) {
        List<LayerChannel> channels = new ArrayList<>();
        masks.forEach((layer, mask) -> {
            for (int c = 0; c < mask.length; c++) {
                channels.add(new LayerChannel(layer, c));
            }
        });
        // A stable sort keeps the layer and channel order among equal masks.
        channels.sort(Comparator.comparingDouble(c -> masks.get(c.layer())[c.channel()]));
        return List.copyOf(channels);
    }

    private static Map<String, Object> diagnostics(Architecture architecture, Map<String, float[]> masks,
            List<LayerChannel> pruned, double validAccuracy) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, String> scaled = new LinkedHashMap<>();
        masks.forEach((layer, mask) -> {
            List<Double> list = new ArrayList<>();
            for (float m : mask) {
                list.add((double) m);
            }
            values.put(layer, List.copyOf(list));
            scaled.put(layer, ChannelScaling.scaledLayer(architecture, layer));
        });
        Map<String, List<Integer>> channels = new LinkedHashMap<>();
        LayerChannel.byLayer(pruned).forEach((layer, c) -> channels.put(layer,
                Arrays.stream(c).boxed().toList()));
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        diagnostics.put("masks", values);
        diagnostics.put("maskedLayers", scaled);
        diagnostics.put("prunedChannels", channels);
        diagnostics.put("validAccuracy", validAccuracy);
        return diagnostics;
    }
}
