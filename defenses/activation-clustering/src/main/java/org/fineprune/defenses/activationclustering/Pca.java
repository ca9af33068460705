package org.fineprune.defenses.activationclustering;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * Principal component analysis: rows centred on their mean and projected on the eigenvectors of
 * their covariance with the largest eigenvalues (Commons Math). The sign of each component is
 * arbitrary, which changes no distance between rows.
 */
final class Pca {
    private Pca() {}

    /**
     * {@code rows} reduced to their first {@code components} principal components (fewer where the
     * rows have fewer values), one reduced row per row.
     *
     * @throws IllegalArgumentException if there are fewer than two rows
     */
    static double[][] reduce(float[][] rows, int components) {
        if (rows.length < 2) {
            throw new IllegalArgumentException("PCA needs two rows at least, got " + rows.length);
        }
        int width = rows[0].length;
        double[][] data = new double[rows.length][width];
        double[] mean = new double[width];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < width; j++) {
                data[i][j] = rows[i][j];
                mean[j] += rows[i][j] / (double) rows.length;
            }
        }
        for (double[] row : data) {
            for (int j = 0; j < width; j++) {
                row[j] -= mean[j];
            }
        }
        RealMatrix centred = new Array2DRowRealMatrix(data, false);
        EigenDecomposition eigen = new EigenDecomposition(new Covariance(centred, false).getCovarianceMatrix());
        double[] values = eigen.getRealEigenvalues();
        Integer[] order = new Integer[width];
        for (int j = 0; j < width; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        int kept = Math.min(components, width);
        RealMatrix basis = new Array2DRowRealMatrix(width, kept);
        for (int k = 0; k < kept; k++) {
            basis.setColumnVector(k, eigen.getEigenvector(order[k]));
        }
        return centred.multiply(basis).getData();
    }
}
