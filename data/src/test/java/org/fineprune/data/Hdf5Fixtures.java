package org.fineprune.data;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import java.nio.file.Path;
import java.util.Arrays;
import org.fineprune.core.DeepId;

/**
 * Small lab-style HDF5 files written with jhdf, with pixel values that can be predicted; {@link #write}
 * also serves {@link org.fineprune.data.testing.LabFolderFixture} in the test-jar.
 */
public final class Hdf5Fixtures {
    static final int C = DeepId.CHANNELS;
    static final int H = DeepId.HEIGHT;
    static final int W = DeepId.WIDTH;

    private Hdf5Fixtures() {}

    /** A whole number in 0..255 that differs between neighbouring images, channels and pixels. */
    static int pixel(int image, int c, int y, int x) {
        return (image * 37 + c * 101 + y * 7 + x * 3) % 256;
    }

    /** The values {@link LabDataset} should return for image {@code image}, NCHW. */
    static float[] expectedImage(int image) {
        float[] values = new float[DeepId.IMAGE_VALUES];
        int k = 0;
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    values[k++] = pixel(image, c, y, x);
                }
            }
        }
        return values;
    }

    /** Receives one pixel of the fixture images. */
    @FunctionalInterface
    private interface PixelSink {
        void put(int image, int c, int y, int x, int value);
    }

    /** Hands every pixel of {@code n} fixture images to {@code sink}, in NCHW order. */
    private static void forEachPixel(int n, PixelSink sink) {
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        sink.put(i, c, y, x, pixel(i, c, y, x));
                    }
                }
            }
        }
    }

    static float[][][][] floatImages(int n) {
        float[][][][] data = new float[n][C][H][W];
        forEachPixel(n, (i, c, y, x, v) -> data[i][c][y][x] = v);
        return data;
    }

    static double[][][][] doubleImages(int n) {
        double[][][][] data = new double[n][C][H][W];
        forEachPixel(n, (i, c, y, x, v) -> data[i][c][y][x] = v);
        return data;
    }

    /** The pixels as bytes, to be written as uint8 by {@link #writeUnsigned}. */
    static byte[][][][] byteImages(int n) {
        byte[][][][] data = new byte[n][C][H][W];
        forEachPixel(n, (i, c, y, x, v) -> data[i][c][y][x] = (byte) v);
        return data;
    }

    static short[][][][] shortImages(int n) {
        short[][][][] data = new short[n][C][H][W];
        forEachPixel(n, (i, c, y, x, v) -> data[i][c][y][x] = (short) v);
        return data;
    }

    /** Labels 0, 7, 14, ... as float32, the element type of the lab's files. */
    static float[] floatLabels(int n) {
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            labels[i] = label(i);
        }
        return labels;
    }

    static int label(int image) {
        return image * 7 % DeepId.CLASSES;
    }

    static int[] expectedLabels(int n) {
        int[] labels = new int[n];
        Arrays.setAll(labels, Hdf5Fixtures::label);
        return labels;
    }

    /** Writes {@code data} and, unless it is null, {@code label} as datasets of a new file. */
    public static Path write(Path file, Object data, Object label) {
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            if (data != null) {
                hdf.putDataset("data", data);
            }
            if (label != null) {
                hdf.putDataset("label", label);
            }
        }
        return file;
    }

    /**
     * Writes {@code data} as an unsigned integer dataset, such as uint8 from {@link #byteImages},
     * the type of image data saved from numpy, and {@code label} as it is.
     */
    static Path writeUnsigned(Path file, Object data, Object label) {
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putDataset("data", data, DatasetCreationOptions.builder().unsigned().build());
            hdf.putDataset("label", label);
        }
        return file;
    }
}
