package org.fineprune.data;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.checksum.ChecksumUtils;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.fineprune.core.DeepId;

/** Small lab-style HDF5 files written with jhdf, with pixel values that can be predicted. */
final class Hdf5Fixtures {
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

    static float[][][][] floatImages(int n) {
        float[][][][] data = new float[n][C][H][W];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        data[i][c][y][x] = pixel(i, c, y, x);
                    }
                }
            }
        }
        return data;
    }

    static double[][][][] doubleImages(int n) {
        double[][][][] data = new double[n][C][H][W];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        data[i][c][y][x] = pixel(i, c, y, x);
                    }
                }
            }
        }
        return data;
    }

    /** The pixels as int8 bytes; {@link #markUnsigned} turns them into the uint8 values. */
    static byte[][][][] byteImages(int n) {
        byte[][][][] data = new byte[n][C][H][W];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        data[i][c][y][x] = (byte) pixel(i, c, y, x);
                    }
                }
            }
        }
        return data;
    }

    static short[][][][] shortImages(int n) {
        short[][][][] data = new short[n][C][H][W];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        data[i][c][y][x] = (short) pixel(i, c, y, x);
                    }
                }
            }
        }
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
    static Path write(Path file, Object data, Object label) {
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
     * Rewrites the element type of an 8-bit integer dataset from int8 to uint8, the type of
     * image data saved from numpy; jhdf 0.9.4 writes signed integers only.
     */
    static void markUnsigned(Path file, String dataset) throws IOException {
        long address;
        try (HdfFile hdf = new HdfFile(file)) {
            address = hdf.getDatasetByPath(dataset).getAddress();
        }
        byte[] bytes = Files.readAllBytes(file);
        int header = Math.toIntExact(address);
        if (!"OHDR".equals(new String(bytes, header, 4, StandardCharsets.US_ASCII))) {
            throw new IllegalStateException("jhdf no longer writes version 2 object headers");
        }
        // Version 2 object header: signature, version, flags, optional times and attribute
        // limits, then the size of chunk 0 in 1 to 8 bytes as the flags say.
        int flags = bytes[header + 5];
        int at = header + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int sizeBytes = 1 << (flags & 0x03);
        long chunkSize = 0;
        for (int i = 0; i < sizeBytes; i++) {
            chunkSize |= (bytes[at + i] & 0xFFL) << (8 * i);
        }
        int messages = at + sizeBytes;
        int end = Math.toIntExact(messages + chunkSize);
        int messageHeader = (flags & 0x04) != 0 ? 6 : 4;
        boolean patched = false;
        for (int m = messages; m + messageHeader <= end; ) {
            int type = bytes[m] & 0xFF;
            int size = (bytes[m + 1] & 0xFF) | (bytes[m + 2] & 0xFF) << 8;
            int body = m + messageHeader;
            // Datatype message: class 0 is fixed point; bit 3 of the class bits is "signed".
            if (type == 3 && (bytes[body] & 0x0F) == 0) {
                bytes[body + 1] &= ~0x08;
                patched = true;
            }
            m = body + size;
        }
        if (!patched) {
            throw new IllegalStateException(dataset + " in " + file + " is not fixed point");
        }
        int checksum = ChecksumUtils.checksum(Arrays.copyOfRange(bytes, header, end));
        ByteBuffer.wrap(bytes, end, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(checksum);
        Files.write(file, bytes);
    }
}
