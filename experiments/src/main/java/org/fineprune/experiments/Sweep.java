package org.fineprune.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fineprune.core.Distinct;
import org.fineprune.core.Engines;
import org.fineprune.core.ModelOptions;

/**
 * The axes of a sweep, as JMH's {@code @Param} lists: every combination of drop threshold, layer,
 * engine and seed is one point. An empty axis takes the value of the experiment's defense (drops,
 * layer); engines default to PyTorch and seeds to 1.
 *
 * @param drops accuracy-drop thresholds in percentage points
 * @param layers convolution layers to prune, checked against the model when the sweep runs
 * @param engines DJL engines
 * @param seeds seeds recorded with each point (the pruning defense itself draws no random numbers)
 */
public record Sweep(List<Double> drops, List<String> layers, List<String> engines, List<Long> seeds) {
    /** Validates the axis values. */
    public Sweep {
        drops = List.copyOf(drops);
        layers = List.copyOf(layers);
        engines = List.copyOf(engines.isEmpty() ? List.of(ModelOptions.DEFAULT_ENGINE) : engines);
        seeds = List.copyOf(seeds.isEmpty() ? List.of(1L) : seeds);
        for (double drop : drops) {
            if (!(drop > 0 && drop < 100)) {
                throw new IllegalArgumentException("accuracy-drop threshold " + drop + " is outside (0, 100)");
            }
        }
        engines = engines.stream().map(Sweep::canonicalEngine).toList();
        Distinct.require("the drops axis", drops);
        Distinct.require("the layers axis", layers);
        Distinct.require("the engines axis", engines);
        Distinct.require("the seeds axis", seeds);
    }

    private static String canonicalEngine(String name) {
        return Engines.SUPPORTED.stream().filter(e -> e.equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown engine '" + name + "'; engines: "
                        + Engines.SUPPORTED));
    }

    /** A sweep over these thresholds, the defense's layer, PyTorch and seed 1. */
    public static Sweep drops(double... thresholds) {
        return new Sweep(Arrays.stream(thresholds).boxed().toList(), List.of(), List.of(), List.of());
    }

    /** The defense's thresholds and layer, PyTorch, seed 1: a single pruning pass. */
    public static Sweep none() {
        return new Sweep(List.of(), List.of(), List.of(), List.of());
    }

    /** A copy whose drops axis is empty (the defense's thresholds). */
    Sweep withoutDrops() {
        return new Sweep(List.of(), layers, engines, seeds);
    }

    /** A copy over these layers. */
    public Sweep layers(String... names) {
        return new Sweep(drops, List.of(names), engines, seeds);
    }

    /** A copy over these engines. */
    public Sweep engines(String... names) {
        return new Sweep(drops, layers, List.of(names), seeds);
    }

    /** A copy over these seeds. */
    public Sweep seeds(long... values) {
        return new Sweep(drops, layers, engines, Arrays.stream(values).boxed().toList());
    }

    /** The points of the sweep for a defense pruning {@code defaultLayer} at {@code defaultDrops}. */
    List<SweepPoint> points(String defaultLayer, List<Double> defaultDrops) {
        List<SweepPoint> points = new ArrayList<>();
        for (String layer : layers.isEmpty() ? List.of(defaultLayer) : layers) {
            for (String engine : engines) {
                for (long seed : seeds) {
                    for (double drop : drops.isEmpty() ? defaultDrops : drops) {
                        points.add(new SweepPoint(drop, layer, engine, seed));
                    }
                }
            }
        }
        return points;
    }
}
