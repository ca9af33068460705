package org.fineprune.defenses.activationclustering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PCA, seeded k-means and the silhouette on generated rows. */
class ClassClustersTest {
    /** 180 rows of unit Gaussian noise in 32 dimensions, and 20 (10%) planted ones shifted by 6 along a diagonal. */
    static float[][] plantedCluster(long seed, boolean[] planted) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] rows = new float[200][32];
        for (int i = 0; i < rows.length; i++) {
            planted[i] = i % 10 == 3;
            for (int j = 0; j < 32; j++) {
                double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                        * Math.cos(2 * Math.PI * random.nextDouble());
                rows[i][j] = (float) (gaussian + (planted[i] ? 6 / Math.sqrt(32) * 2 : 0));
            }
        }
        return rows;
    }

    @Test
    void a_planted_separate_cluster_of_a_tenth_is_the_smaller_cluster() {
        boolean[] planted = new boolean[200];
        ClassClusters clusters = ClassClusters.of(plantedCluster(3, planted), 10, 7);
        for (int i = 0; i < planted.length; i++) {
            assertEquals(planted[i], clusters.cluster()[i] == clusters.smaller(), "row " + i);
        }
        assertEquals(0.1, clusters.smallerShare());
        assertTrue(clusters.silhouette() > 0.1, "silhouette " + clusters.silhouette());
    }

    @Test
    void k_means_is_seeded_and_repeatable() {
        boolean[] planted = new boolean[200];
        float[][] rows = plantedCluster(5, planted);
        double[][] reduced = Pca.reduce(rows, 10);
        assertArrayEquals(TwoMeans.cluster(reduced, 11), TwoMeans.cluster(reduced, 11));
        // Without structure the split depends on the start: the same seed gives the same one.
        float[][] noise = new float[60][4];
        SplittableRandom random = new SplittableRandom(2);
        for (float[] row : noise) {
            for (int j = 0; j < 4; j++) {
                row[j] = (float) random.nextDouble();
            }
        }
        double[][] flat = Pca.reduce(noise, 4);
        for (long seed = 1; seed <= 3; seed++) {
            assertArrayEquals(TwoMeans.cluster(flat, seed), TwoMeans.cluster(flat, seed));
        }
    }

    @Test
    void pca_keeps_the_direction_of_largest_spread_first() {
        // Points along (3, 4)/5 at -2, 0, 2 with a small offset across: the first component is the line.
        float[][] rows = {{-1.2f, -1.6f}, {0.04f, -0.03f}, {1.2f, 1.6f}};
        double[][] reduced = Pca.reduce(rows, 1);
        assertEquals(1, reduced[0].length);
        assertEquals(4.0, Math.abs(reduced[2][0] - reduced[0][0]), 0.02);
    }

    @Test
    void the_silhouette_matches_a_hand_computation() {
        // 1-D points 0, 1 | 10, 11: a = 1 for each, b = 10.5, 9.5, 9.5, 10.5.
        double[][] rows = {{0}, {1}, {10}, {11}};
        double expected = ((10.5 - 1) / 10.5 + (9.5 - 1) / 9.5 + (9.5 - 1) / 9.5 + (10.5 - 1) / 10.5) / 4;
        assertEquals(expected, Silhouette.mean(rows, new int[] {0, 0, 1, 1}, 2), 1e-12);
        // A row alone in its cluster counts 0; one occupied cluster gives 0.
        assertEquals((0 + (9 - 1) / 9.0 + (10 - 1) / 10.0) / 3,
                Silhouette.mean(new double[][] {{0}, {9}, {10}}, new int[] {0, 1, 1}, 2), 1e-12);
        assertEquals(0, Silhouette.mean(rows, new int[4], 2));
    }
}
