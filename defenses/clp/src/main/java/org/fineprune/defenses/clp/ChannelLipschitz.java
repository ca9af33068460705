package org.fineprune.defenses.clp;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.fineprune.core.graph.GraphModel;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.LayerGraph;

/**
 * The upper bound of each channel's Lipschitz constant, as CLP computes it: the largest singular
 * value (spectral norm) of the channel's kernel seen as an (input channels) x (kernel height x
 * kernel width) matrix, times {@code |gamma| / sqrt(runningVar + epsilon)} of the batch
 * normalisation that alone reads the convolution's output, where there is one. Without batch
 * normalisation (DeepID) the bound is the raw kernel's largest singular value; the bias, which
 * shifts but does not scale, counts in neither case.
 *
 * <p>The reference code divides by {@code sqrt(runningVar)} alone; with epsilon the bound is the
 * factor the batch normalisation really applies, and the two differ only for channels whose
 * variance is near epsilon.
 */
public final class ChannelLipschitz {
    private ChannelLipschitz() {}

    /**
     * One bound per output channel of convolution {@code conv} of {@code model}.
     *
     * @throws IllegalArgumentException if {@code conv} is not a convolution of the model's graph
     */
    public static double[] bounds(GraphModel model, String conv) {
        LayerGraph graph = model.graph();
        if (!(graph.layer(conv) instanceof Layer.Conv)) {
            throw new IllegalArgumentException("'" + conv + "' is not a convolution layer of " + graph.name());
        }
        int[] shape = graph.parameters().get(conv + "/weight");
        int out = shape[0];
        int in = shape[1];
        int area = shape[2] * shape[3];
        float[] kernel = model.weights().get(conv + "/weight");
        double[] scale = batchNormScale(model, conv, out);
        double[] bounds = new double[out];
        for (int c = 0; c < out; c++) {
            double[][] matrix = new double[in][area];
            for (int i = 0; i < in; i++) {
                for (int k = 0; k < area; k++) {
                    matrix[i][k] = kernel[(c * in + i) * area + k];
                }
            }
            bounds[c] = new SingularValueDecomposition(new Array2DRowRealMatrix(matrix, false)).getNorm() * scale[c];
        }
        return bounds;
    }

    /** Per channel, the factor by which the batch normalisation after {@code conv} scales it; 1 without one. */
    private static double[] batchNormScale(GraphModel model, String conv, int channels) {
        double[] scale = new double[channels];
        Arrays.fill(scale, 1);
        List<String> next = model.graph().consumers(conv);
        if (next.size() == 1 && model.graph().layer(next.get(0)) instanceof Layer.BatchNorm bn) {
            float[] gamma = model.weights().get(bn.name() + "/gamma");
            float[] variance = model.weights().get(bn.name() + "/runningVar");
            for (int c = 0; c < channels; c++) {
                scale[c] = Math.abs(gamma[c]) / Math.sqrt(variance[c] + (double) bn.epsilon());
            }
        }
        return scale;
    }
}
