package org.fineprune.core.testing;

import java.util.SplittableRandom;

/** Generated Fashion-MNIST-shaped images that a random {@link org.fineprune.core.SmallCnn} tells apart. */
public final class BlobImages {
    private BlobImages() {}

    /**
     * {@code count} 1x28x28 images, each a bright rectangle of random place, size and level on a dark
     * background, with noise; images of uniform noise all look alike to a random net.
     */
    public static float[] generate(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * 28 * 28];
        for (int n = 0; n < count; n++) {
            int top = random.nextInt(20);
            int left = random.nextInt(20);
            int height = 4 + random.nextInt(24 - top);
            int width = 4 + random.nextInt(24 - left);
            float level = 100 + random.nextInt(156);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean inside = y >= top && y < top + height && x >= left && x < left + width;
                    pixels[n * 784 + y * 28 + x] = Math.min(255, (inside ? level : 0) + random.nextInt(40));
                }
            }
        }
        return pixels;
    }
}
