package org.fineprune.defenses.activationclustering;

/**
 * The mean silhouette of a clustering (Rousseeuw, 1987), as scikit-learn's {@code
 * silhouette_score} with Euclidean distances: for each row, (b - a) / max(a, b), where a is its mean
 * distance to the other rows of its cluster and b its mean distance to the rows of the nearest other
 * cluster; 0 for a row alone in its cluster. From -1 to 1: high when the clusters are apart.
 */
final class Silhouette {
    private Silhouette() {}

    /**
     * The mean silhouette of {@code rows} in clusters {@code 0..clusters-1}, or {@code 0} where fewer
     * than two clusters are occupied.
     */
    static double mean(double[][] rows, int[] cluster, int clusters) {
        int[] sizes = new int[clusters];
        for (int c : cluster) {
            sizes[c]++;
        }
        int occupied = 0;
        for (int size : sizes) {
            occupied += size > 0 ? 1 : 0;
        }
        if (occupied < 2) {
            return 0;
        }
        double total = 0;
        for (int i = 0; i < rows.length; i++) {
            double[] sums = new double[clusters];
            for (int j = 0; j < rows.length; j++) {
                if (j != i) {
                    sums[cluster[j]] += distance(rows[i], rows[j]);
                }
            }
            int own = cluster[i];
            if (sizes[own] == 1) {
                continue;
            }
            double a = sums[own] / (sizes[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < clusters; c++) {
                if (c != own && sizes[c] > 0) {
                    b = Math.min(b, sums[c] / sizes[c]);
                }
            }
            double denominator = Math.max(a, b);
            total += denominator == 0 ? 0 : (b - a) / denominator;
        }
        return total / rows.length;
    }

    private static double distance(double[] x, double[] y) {
        double sum = 0;
        for (int k = 0; k < x.length; k++) {
            double d = x[k] - y[k];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
