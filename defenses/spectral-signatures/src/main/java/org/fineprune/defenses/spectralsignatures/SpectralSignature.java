package org.fineprune.defenses.spectralsignatures;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The spectral signature of one class's representations (Tran, Li and Madry, NeurIPS 2018): the
 * representations centred on their mean, their top right singular vector, and each sample's score,
 * its squared projection on that vector. Poisoned samples, a minority whose representations differ
 * from the clean ones along one direction, get the highest scores.
 *
 * @param scores each sample's squared projection, in the order of the rows
 * @param singularValue the top singular value of the centred representations
 */
public record SpectralSignature(double[] scores, double singularValue) {
    /**
     * The signature of {@code rows}, one representation per sample, all of one length.
     *
     * @throws IllegalArgumentException if there are no rows or they differ in length
     */
    public static SpectralSignature of(float[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no representations to take the spectral signature of");
        }
        int width = rows[0].length;
        double[] mean = new double[width];
        for (float[] row : rows) {
            if (row.length != width) {
                throw new IllegalArgumentException("representations of " + width + " and " + row.length + " values");
            }
            for (int j = 0; j < width; j++) {
                mean[j] += row[j];
            }
        }
        double[][] centred = new double[rows.length][width];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < width; j++) {
                centred[i][j] = rows[i][j] - mean[j] / rows.length;
            }
        }
        RealMatrix matrix = new Array2DRowRealMatrix(centred, false);
        SingularValueDecomposition svd = new SingularValueDecomposition(matrix);
        RealVector top = svd.getV().getColumnVector(0);
        RealVector projections = matrix.operate(top);
        double[] scores = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double p = projections.getEntry(i);
            scores[i] = p * p;
        }
        return new SpectralSignature(scores, svd.getSingularValues()[0]);
    }

    /**
     * The indices of the {@code count} highest {@code scores}, increasing; the earlier index wins a
     * tie, so the choice is the same on every run.
     */
    public static int[] highest(double[] scores, int count) {
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
        return Arrays.stream(order, 0, Math.min(count, scores.length)).mapToInt(Integer::intValue).sorted().toArray();
    }
}
