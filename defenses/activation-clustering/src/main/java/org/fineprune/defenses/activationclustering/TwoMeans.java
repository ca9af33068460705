package org.fineprune.defenses.activationclustering;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.DistanceType;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Tribuo's k-means into two clusters (k-means++ start, Euclidean distance, one thread), seeded: the
 * same rows and seed give the same clusters.
 */
final class TwoMeans {
    /** The most iterations, as scikit-learn's default {@code max_iter}. */
    static final int ITERATIONS = 300;

    /**
     * Tribuo's k-means logs each convergence at INFO through java.util.logging, which would print
     * between a sweep's progress bars; warnings still show. Held here so the setting is not collected.
     */
    private static final Logger TRIBUO_KMEANS = Logger.getLogger(KMeansTrainer.class.getName());

    static {
        TRIBUO_KMEANS.setLevel(Level.WARNING);
    }

    private TwoMeans() {}

    /** The cluster, 0 or 1, of each row. */
    static int[] cluster(double[][] rows, long seed) {
        ClusteringFactory factory = new ClusteringFactory();
        MutableDataset<ClusterID> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance("activations", factory), factory);
        String[] names = new String[rows[0].length];
        for (int j = 0; j < names.length; j++) {
            names[j] = String.format("d%03d", j);
        }
        for (double[] row : rows) {
            dataset.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, row));
        }
        KMeansTrainer trainer = new KMeansTrainer(2, ITERATIONS, DistanceType.L2.getDistance(),
                KMeansTrainer.Initialisation.PLUSPLUS, 1, seed);
        KMeansModel model = trainer.train(dataset);
        List<Prediction<ClusterID>> predictions = model.predict(dataset);
        int[] clusters = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            clusters[i] = predictions.get(i).getOutput().getID();
        }
        return clusters;
    }
}
