package org.fineprune.defenses.activationclustering;

/**
 * One class's activations reduced by {@link Pca} and split in two by {@link TwoMeans}: each row's
 * cluster, the clusters' sizes and the clustering's mean {@link Silhouette}.
 *
 * @param cluster the cluster, 0 or 1, of each row
 * @param sizes the number of rows in cluster 0 and in cluster 1
 * @param silhouette the mean silhouette, from -1 to 1
 */
record ClassClusters(int[] cluster, int[] sizes, double silhouette) {
    /** Clusters {@code rows} (two at least) in {@code dimensions} principal components with {@code seed}. */
    static ClassClusters of(float[][] rows, int dimensions, long seed) {
        double[][] reduced = Pca.reduce(rows, dimensions);
        int[] cluster = TwoMeans.cluster(reduced, seed);
        int[] sizes = new int[2];
        for (int k : cluster) {
            sizes[k]++;
        }
        return new ClassClusters(cluster, sizes, Silhouette.mean(reduced, cluster, 2));
    }

    /** The smaller cluster (cluster 0 of two of one size). */
    int smaller() {
        return sizes[1] < sizes[0] ? 1 : 0;
    }

    /** The smaller cluster's share of the rows. */
    double smallerShare() {
        return sizes[smaller()] / (double) cluster.length;
    }

    /** The share of the rows in row {@code k}'s cluster. */
    double shareOf(int k) {
        return sizes[cluster[k]] / (double) cluster.length;
    }
}
