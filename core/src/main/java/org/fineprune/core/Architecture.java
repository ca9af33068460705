package org.fineprune.core;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fineprune.core.graph.ConvUnits;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.LayerGraph;

/**
 * A network Fineprune can load, run, prune and train: a {@link LayerGraph} with its input, classes
 * and layers, named as in the file it came from. {@link DeepId} (the lab3 face recogniser) and
 * {@link SmallCnn} (the project's Fashion-MNIST BadNet) are two built-in ones; {@link #of} makes one
 * of any graph.
 *
 * <p>Pruning channel {@code c} of convolution {@code L} zeroes channel {@code c} of {@code L}'s output
 * unit (after the batch normalisation and activation that follow it) for every input; {@link
 * ConvUnits} defines the unit, the {@link #rankingLayer} and the {@link #cachePoint}, up to which a
 * pruning sweep runs the network once.
 */
public class Architecture {
    private final LayerGraph graph;
    private final ConvUnits units;
    private final List<String> layers;
    private final List<LayerSpec> weightedLayers;
    private final List<String> convLayers;
    private final String pruningLayer;

    Architecture(LayerGraph graph) {
        this.graph = graph;
        this.units = new ConvUnits(graph);
        this.layers = graph.layers().stream().map(Layer::name).toList();
        this.weightedLayers = weightedLayers(graph);
        this.convLayers = units.convs();
        this.pruningLayer = units.convs().isEmpty() ? null : units.pruningLayer();
    }

    /**
     * The built-in network called {@code name} ({@code deepid} or {@code small-cnn}, in any case), or
     * empty if there is none.
     */
    public static Optional<Architecture> builtIn(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "deepid" -> Optional.of(DeepId.INSTANCE);
            case "small-cnn" -> Optional.of(SmallCnn.INSTANCE);
            default -> Optional.empty();
        };
    }

    /**
     * The network of {@code graph}.
     *
     * @throws IllegalArgumentException if the graph has no convolution
     */
    public static Architecture of(LayerGraph graph) {
        Architecture architecture = new Architecture(graph);
        architecture.units.pruningLayer();
        return architecture;
    }

    /** The Keras-layout shapes of the convolutions and dense layers, in forward order. */
    private static List<LayerSpec> weightedLayers(LayerGraph graph) {
        return graph.layers().stream()
                .filter(l -> l instanceof Layer.Conv || l instanceof Layer.Dense)
                .map(l -> graph.kerasLayout(l.name()))
                .toList();
    }

    /** The layer graph. */
    public final LayerGraph graph() {
        return graph;
    }

    /** The output units, ranking layers and cache points of the convolutions. */
    final ConvUnits units() {
        return units;
    }

    /** A short name for messages and records, for example {@code DeepID}. */
    public final String name() {
        return graph.name();
    }

    /** The shape of one input image. */
    public final ImageShape input() {
        return graph.input();
    }

    /** The number of classes; a GoodNet answers this number for a flagged input. */
    public final int classes() {
        return graph.classes();
    }

    /** Every layer whose output can be observed, in forward order (the input first, the output last). */
    public final List<String> layers() {
        return layers;
    }

    /** The convolutions and dense layers, which carry weights, in forward order, their shapes in Keras layout. */
    public final List<LayerSpec> weightedLayers() {
        return weightedLayers;
    }

    /** The convolution layers, whose channels can be pruned, in forward order. */
    public final List<String> convLayers() {
        return convLayers;
    }

    /**
     * The convolution Fine-Pruning prunes by default: the last one every path to the output passes
     * through (DeepID's conv_3, as the lab prunes; conv_4 sits in a side branch).
     */
    public final String pruningLayer() {
        return pruningLayer;
    }

    /**
     * The layer whose mean activation ranks the channels of convolution {@code conv}: the pool that
     * follows its unit, or the layer itself where no pool follows.
     *
     * @throws IllegalArgumentException if {@code conv} is not a convolution layer
     */
    public final String rankingLayer(String conv) {
        conv(conv);
        return units.rankingLayer(conv);
    }

    /**
     * The output of which layer the cache of a sweep over {@code conv} keeps; see the class comment.
     *
     * @throws IllegalArgumentException if {@code conv} is not a convolution layer
     */
    public final String cachePoint(String conv) {
        conv(conv);
        return units.cachePoint(conv);
    }

    /** A new DJL block of this network with uninitialised parameters. */
    final GraphBlock newBlock() {
        return new GraphBlock(this);
    }

    /**
     * The cache point for pruning all of {@code convs} at once: the earliest of their cache points.
     *
     * @throws IllegalArgumentException if a name is not a convolution layer or none is given
     */
    public String cachePoint(Collection<String> convs) {
        if (convs.isEmpty()) {
            throw new IllegalArgumentException("no layer to prune given");
        }
        return convs.stream().map(this::cachePoint).min((a, b) ->
                Integer.compare(layers().indexOf(a), layers().indexOf(b))).orElseThrow();
    }

    /**
     * The convolution layer called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such layer or it is not a convolution
     */
    public LayerSpec conv(String name) {
        if (!convLayers().contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a convolution layer of " + name()
                    + "; conv layers: " + convLayers());
        }
        return layer(name);
    }

    /** The weighted layer called {@code name}, or an exception listing the layers there are. */
    public LayerSpec layer(String name) {
        return weightedLayers().stream()
                .filter(l -> l.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no weighted layer '" + name + "' in " + name()
                        + "; layers: " + weightedLayers().stream().map(LayerSpec::name).toList()));
    }

    @Override
    public String toString() {
        return name();
    }
}
