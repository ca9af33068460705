package org.fineprune.core.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fineprune.core.graph.Layer.Activation;
import org.fineprune.core.graph.Layer.BatchNorm;
import org.fineprune.core.graph.Layer.Conv;
import org.fineprune.core.graph.Layer.GlobalPool;
import org.fineprune.core.graph.Layer.Pool;

/**
 * What pruning a convolution means in a {@link LayerGraph}, defined once for every network.
 *
 * <p>The <em>output unit</em> of convolution {@code L} is {@code L} followed by the batch
 * normalisation and the activation that come right after it, each where {@code L}'s output (or the
 * batch normalisation's) goes nowhere else. <b>Pruning channel {@code c} of {@code L} zeroes channel
 * {@code c} of the unit's output, for every input</b>: the channel mask multiplies the unit's output.
 * Observing {@code L} by name gives the unit's output, masked, once per pass: never {@code L}'s raw
 * output, which is no activation the network prunes or Fine-Pruning ranks (the paper ranks by the
 * activation after the nonlinearity).
 *
 * <p>The <em>ranking layer</em>, whose mean activation ranks {@code L}'s channels, is the pool (max,
 * average or global) that alone reads the unit's output, else {@code L}. A pool maps a zero channel to
 * a zero channel, so the mask may be applied to it instead of the unit.
 *
 * <p>The <em>cache point</em> of {@code L} is where a pruning sweep cuts the graph: every path from the
 * input to the output passes through it (it dominates the output), so one tensor holds all that the
 * rest of the network needs. It is the ranking layer where that dominates the output (DeepID's pool_3
 * for conv_3), else the unit's output where that does, else the nearest layer before {@code L} that
 * dominates it (DeepID's pool_3 for conv_4, in a branch; a residual block's input), every path to {@code L} and to the output
 * passing through it. The sweep runs the
 * graph once up to the cache point and then, at each step, only what lies after it.
 */
public final class ConvUnits {
    private final LayerGraph graph;
    private final Map<String, Set<String>> dominators = new LinkedHashMap<>();

    /** The units of every convolution of {@code graph}. */
    public ConvUnits(LayerGraph graph) {
        this.graph = graph;
        for (Layer layer : graph.layers()) {
            Set<String> common = null;
            for (String in : layer.inputs()) {
                if (common == null) {
                    common = new HashSet<>(dominators.get(in));
                } else {
                    common.retainAll(dominators.get(in));
                }
            }
            Set<String> own = common == null ? new HashSet<>() : common;
            own.add(layer.name());
            dominators.put(layer.name(), own);
        }
    }

    /** The convolution layers, in forward order. */
    public List<String> convs() {
        return graph.layers().stream().filter(l -> l instanceof Conv).map(Layer::name).toList();
    }

    /**
     * The last layer of {@code conv}'s output unit: the convolution itself, or its batch
     * normalisation or activation.
     *
     * @throws IllegalArgumentException if {@code conv} is not a convolution
     */
    public String unitEnd(String conv) {
        String end = conv(conv).name();
        List<String> next = graph.consumers(end);
        if (next.size() == 1 && graph.layer(next.get(0)) instanceof BatchNorm) {
            end = next.get(0);
            next = graph.consumers(end);
        }
        if (next.size() == 1 && graph.layer(next.get(0)) instanceof Activation) {
            end = next.get(0);
        }
        return end;
    }

    /** The layer whose mean activation ranks {@code conv}'s channels; see the class comment. */
    public String rankingLayer(String conv) {
        String pool = poolAfter(conv);
        return pool == null ? conv : pool;
    }

    /** The layer a pruning sweep of {@code conv} caches; see the class comment. */
    public String cachePoint(String conv) {
        String pool = poolAfter(conv);
        if (pool != null && dominatesOutput(pool)) {
            return pool;
        }
        String end = unitEnd(conv);
        if (dominatesOutput(end)) {
            return end;
        }
        String nearest = null;
        for (Layer layer : graph.layers()) {
            if (layer.name().equals(conv)) {
                return nearest;
            }
            if (dominators.get(conv).contains(layer.name()) && dominatesOutput(layer.name())) {
                nearest = layer.name();
            }
        }
        throw new IllegalStateException("unreachable: " + conv + " is a layer of " + graph.name());
    }

    /**
     * The convolution whose mask applies to the cached output of layer {@code point} when a sweep
     * resumes there, or {@code null} if the layer is not a unit's output or ranking pool.
     */
    public String maskedAt(String point) {
        for (String conv : convs()) {
            if (point.equals(unitEnd(conv)) || point.equals(poolAfter(conv))) {
                return conv;
            }
        }
        return null;
    }

    /**
     * The convolution the network prunes by default: the last one whose output every path to the
     * output passes through (DeepID's conv_3, as the lab prunes; conv_4 sits in a side branch), else
     * the last one.
     *
     * @throws IllegalArgumentException if the graph has no convolution
     */
    public String pruningLayer() {
        List<String> convs = convs();
        if (convs.isEmpty()) {
            throw new IllegalArgumentException(graph.name() + " has no convolution to prune");
        }
        List<String> dominating = new ArrayList<>(convs.stream().filter(this::dominatesOutput).toList());
        return dominating.isEmpty() ? convs.get(convs.size() - 1) : dominating.get(dominating.size() - 1);
    }

    /** Whether every path from the input to the output passes through layer {@code name}. */
    public boolean dominatesOutput(String name) {
        return dominators.get(graph.output()).contains(name);
    }

    private String poolAfter(String conv) {
        List<String> next = graph.consumers(unitEnd(conv));
        if (next.size() == 1) {
            Layer layer = graph.layer(next.get(0));
            if (layer instanceof Pool || layer instanceof GlobalPool) {
                return layer.name();
            }
        }
        return null;
    }

    private Conv conv(String name) {
        if (graph.layer(name) instanceof Conv conv) {
            return conv;
        }
        throw new IllegalArgumentException("'" + name + "' is not a convolution layer of " + graph.name()
                + "; conv layers: " + convs());
    }
}
