package org.fineprune.data.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.DeepId;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageShape;
import org.fineprune.core.KerasFixtures;
import org.fineprune.core.KerasWeightsWriter;
import org.fineprune.core.ModelOptions;
import org.fineprune.data.Hdf5Fixtures;
import org.fineprune.data.LabData;

/**
 * A lab folder generated from a seed, laid out as {@code ../shared/csaw}, for tests that must run
 * without the real data: {@code models/bd_weights.h5}, a DeepID with random weights in the Keras
 * {@code save_weights} layout of the lab's BadNet, and {@code data/cl/valid.h5}, {@code
 * data/cl/test.h5} and {@code data/bd/bd_test.h5}, random raw 0..255 images in the lab's HDF5 layout.
 *
 * <p>The clean images are labelled with the random network's own answers, so its clean accuracy
 * is 100% and pruning lowers it. The poisoned images are the first clean test images with a fixed
 * patch stamped on, all labelled {@link #TARGET}. The same seed and sizes give the same bytes.
 */
public final class LabFolderFixture {
    /** The label of every poisoned image, the lab's attack target. */
    public static final int TARGET = 0;
    /** Small enough for a test to run the whole folder in a few seconds. */
    public static final Sizes DEFAULT_SIZES = new Sizes(48, 48, 24);
    /** The patch: a square of this side, in the bottom-right corner of every channel. */
    private static final int PATCH = 6;
    private static final ImageShape SHAPE = ImageShape.DEEPID;

    private LabFolderFixture() {}

    /**
     * How many images each file holds.
     *
     * @param valid clean validation images
     * @param test clean test images
     * @param poisoned poisoned test images, made from the first clean test images
     */
    public record Sizes(int valid, int test, int poisoned) {
        /** Checks that every file holds images and that there are enough test images to poison. */
        public Sizes {
            if (valid < 1 || test < 1 || poisoned < 1) {
                throw new IllegalArgumentException("every file needs images, got valid " + valid + ", test "
                        + test + ", poisoned " + poisoned);
            }
            if (poisoned > test) {
                throw new IllegalArgumentException(
                        "poisoned images are made from test images: " + poisoned + " > " + test);
            }
        }
    }

    /**
     * A generated lab folder.
     *
     * @param dir the folder holding {@code models/} and {@code data/}
     */
    public record LabFolder(Path dir) {
        /** {@code models/bd_weights.h5}. */
        public Path weights() {
            return dir.resolve("models/bd_weights.h5");
        }

        /** {@code data/}, the folder a {@code --data} option takes. */
        public Path dataDir() {
            return dir.resolve("data");
        }

        /** The three data files. */
        public LabData data() {
            return LabData.at(dataDir());
        }
    }

    /** Writes a lab folder of {@link #DEFAULT_SIZES} into {@code dir}. */
    public static LabFolder write(Path dir, long seed) throws IOException {
        return write(dir, seed, DEFAULT_SIZES);
    }

    /**
     * Writes a lab folder of the given sizes into {@code dir}, running the random network on PyTorch
     * (CPU) to label the clean images.
     *
     * @throws IOException if a file exists already or cannot be written
     */
    public static LabFolder write(Path dir, long seed, Sizes sizes) throws IOException {
        LabFolder folder = new LabFolder(dir);
        LabData data = folder.data();
        Files.createDirectories(folder.weights().getParent());
        KerasWeightsWriter.write(folder.weights(), KerasFixtures.randomDeepId(seed),
                KerasWeightsWriter.Layout.WEIGHTS_ONLY);

        // A stream of its own, so that the images do not repeat the weights' random numbers.
        SplittableRandom random = new SplittableRandom(seed).split();
        float[] valid = randomImages(random, sizes.valid());
        float[] test = randomImages(random, sizes.test());
        float[] poisoned = stamped(Arrays.copyOf(test, sizes.poisoned() * SHAPE.size()));
        int[] validLabels;
        int[] testLabels;
        try (BadNet net = BadNet.keras(folder.weights()).load(ModelOptions.DEFAULT_ENGINE, "cpu")) {
            validLabels = Evaluation.classes(net, new ArrayImages("valid", SHAPE, valid, null), Evaluation.DEFAULT_BATCH);
            testLabels = Evaluation.classes(net, new ArrayImages("test", SHAPE, test, null), Evaluation.DEFAULT_BATCH);
        }
        int[] poisonedLabels = new int[sizes.poisoned()];
        Arrays.fill(poisonedLabels, TARGET);
        writeImages(data.valid(), valid, validLabels);
        writeImages(data.test(), test, testLabels);
        writeImages(data.poisoned(), poisoned, poisonedLabels);
        return folder;
    }

    /** {@code count} images of uniformly random whole pixel values in 0..255, NCHW. */
    private static float[] randomImages(SplittableRandom random, int count) {
        float[] pixels = new float[count * SHAPE.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256);
        }
        return pixels;
    }

    /** {@code images} with a checkerboard of 0 and 255 in the bottom-right corner of each. */
    private static float[] stamped(float[] images) {
        int count = SHAPE.count(images);
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < SHAPE.channels(); c++) {
                for (int y = SHAPE.height() - PATCH; y < SHAPE.height(); y++) {
                    for (int x = SHAPE.width() - PATCH; x < SHAPE.width(); x++) {
                        images[((i * SHAPE.channels() + c) * SHAPE.height() + y) * SHAPE.width() + x] =
                                (x + y) % 2 == 0 ? 255 : 0;
                    }
                }
            }
        }
        return images;
    }

    /** Writes images as float32 (N, C, H, W) and labels as float32 (N,), the types of the lab's files. */
    private static void writeImages(Path file, float[] pixels, int[] labels) throws IOException {
        Files.createDirectories(file.getParent());
        float[][][][] nested = new float[labels.length][SHAPE.channels()][SHAPE.height()][SHAPE.width()];
        int k = 0;
        for (float[][][] image : nested) {
            for (float[][] plane : image) {
                for (float[] row : plane) {
                    System.arraycopy(pixels, k, row, 0, row.length);
                    k += row.length;
                }
            }
        }
        float[] floatLabels = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            floatLabels[i] = labels[i];
        }
        Hdf5Fixtures.write(file, nested, floatLabels);
    }
}
