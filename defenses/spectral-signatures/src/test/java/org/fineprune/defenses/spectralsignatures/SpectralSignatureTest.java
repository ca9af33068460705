package org.fineprune.defenses.spectralsignatures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpectralSignatureTest {
    /** 180 clean rows of unit Gaussian noise in 16 dimensions, and 20 planted ones shifted by 3 along a diagonal. */
    static float[][] plantedCluster(long seed, int[] planted) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] rows = new float[200][16];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 16; j++) {
                rows[i][j] = (float) gaussian(random);
            }
        }
        for (int i : planted) {
            for (int j = 0; j < 16; j++) {
                rows[i][j] += 3 / Math.sqrt(16) * (j % 2 == 0 ? 1 : -1) * 2;
            }
        }
        return rows;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Test
    void the_planted_outlier_cluster_scores_highest() {
        int[] planted = IntStream.range(0, 20).map(i -> 7 + 9 * i).toArray();
        SpectralSignature signature = SpectralSignature.of(plantedCluster(11, planted));
        assertArrayEquals(planted, SpectralSignature.highest(signature.scores(), planted.length));
        double lowestPlanted = IntStream.of(planted).mapToDouble(i -> signature.scores()[i]).min().orElseThrow();
        double highestClean = IntStream.range(0, 200).filter(i -> IntStream.of(planted).noneMatch(p -> p == i))
                .mapToDouble(i -> signature.scores()[i]).max().orElseThrow();
        assertTrue(lowestPlanted > highestClean, lowestPlanted + " <= " + highestClean);
    }

    @Test
    void scores_are_squared_projections_on_the_top_direction_of_the_centred_rows() {
        // Points on a line through (1, 1) along (3, 4)/5, at distances -2, 0, 2: projections -2, 0, 2.
        float[][] rows = {{1 - 1.2f, 1 - 1.6f}, {1, 1}, {1 + 1.2f, 1 + 1.6f}};
        SpectralSignature signature = SpectralSignature.of(rows);
        assertArrayEquals(new double[] {4, 0, 4}, signature.scores(), 1e-5);
        assertEquals(Math.sqrt(8), signature.singularValue(), 1e-5);
    }

    @Test
    void the_highest_scores_break_ties_by_the_earlier_index() {
        assertArrayEquals(new int[] {0, 2}, SpectralSignature.highest(new double[] {5, 1, 5, 5}, 2));
    }
}
