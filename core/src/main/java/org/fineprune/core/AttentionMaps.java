package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attention maps of convolution outputs and the attention-transfer loss between two networks, as
 * Neural Attention Distillation uses them (Li et al., ICLR 2021, after Zagoruyko and Komodakis,
 * ICLR 2017): the map of an (N, C, H, W) activation is the sum over channels of {@code
 * |activation|^p}, flattened per image and divided by its L2 norm plus {@value #EPSILON}; the loss
 * is the mean squared difference of two maps over every image and position.
 */
public final class AttentionMaps {
    /** Added to each map's norm, as in the reference code, so that an all-zero map stays zero. */
    public static final double EPSILON = 1e-6;

    private AttentionMaps() {}

    /** The (N, H x W) attention maps of an (N, C, H, W) activation. */
    static NDArray map(NDArray activation, double p) {
        NDManager manager = activation.getManager();
        NDArray summed = activation.abs().pow(GraphScalar.of(manager, p)).sum(new int[] {1});
        NDArray flat = summed.reshape(activation.getShape().get(0), -1);
        return flat.div(flat.norm(new int[] {1}, true).add(GraphScalar.of(manager, EPSILON)));
    }

    /** The attention-transfer loss between two maps of {@link #map}: their mean squared difference. */
    static NDArray loss(NDArray studentMap, NDArray teacherMap) {
        return studentMap.sub(teacherMap).square().mean();
    }

    /**
     * The attention-transfer loss between {@code student} and {@code teacher} at each of the
     * convolutions {@code layers}, over the images of {@code batch}: how far the student's attention
     * has moved from the teacher's (zero for two copies of one network).
     *
     * @throws IllegalArgumentException if a layer is not a convolution of both networks or the
     *     networks take other images
     */
    public static Map<String, Double> losses(BadNet student, BadNet teacher, ImageBatch batch, List<String> layers,
            double p) {
        requireConvs(student.architecture(), layers);
        requireConvs(teacher.architecture(), layers);
        double[] sums = new double[layers.size()];
        for (int start = 0; start < batch.size(); start += BadNet.CHUNK) {
            int count = Math.min(BadNet.CHUNK, batch.size() - start);
            try (NDManager sub = student.manager().newSubManager()) {
                Map<String, NDArray> s = maps(student, student.input(sub, batch, start, count), layers, p);
                Map<String, NDArray> t = maps(teacher, teacher.input(sub, batch, start, count), layers, p);
                for (int i = 0; i < layers.size(); i++) {
                    String layer = layers.get(i);
                    sums[i] += count * loss(s.get(layer), t.get(layer)).getFloat();
                }
            }
        }
        Map<String, Double> losses = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            losses.put(layers.get(i), sums[i] / batch.size());
        }
        return losses;
    }

    /** The attention maps of {@code layers} in an inference pass of {@code net} over {@code input}. */
    static Map<String, NDArray> maps(BadNet net, NDArray input, List<String> layers, double p) {
        Map<String, NDArray> maps = new LinkedHashMap<>();
        net.block().forward(net.store(), input, "input", Map.of(), false, observer(layers, p, maps));
        return maps;
    }

    /** An observer that puts the attention map of each of {@code layers} into {@code maps}. */
    static LayerObserver observer(List<String> layers, double p, Map<String, NDArray> maps) {
        return new LayerObserver() {
            @Override
            public boolean wants(String layer) {
                return layers.contains(layer);
            }

            @Override
            public void onOutput(String layer, NDArray output) {
                maps.put(layer, map(output, p));
            }
        };
    }

    /** @throws IllegalArgumentException naming a layer of {@code layers} that is no convolution of the network */
    static void requireConvs(Architecture architecture, List<String> layers) {
        layers.forEach(architecture::conv);
    }
}
