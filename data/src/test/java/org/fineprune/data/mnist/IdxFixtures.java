package org.fineprune.data.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for the tests, plain or gzipped: no binary fixture is checked in. */
final class IdxFixtures {
    static final int ROWS = 3;
    static final int COLS = 2;

    private IdxFixtures() {}

    /** An IDX file: the magic number, the dimensions, then {@code data} as it is. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        buffer.putInt(magic);
        for (int d : dims) {
            buffer.putInt(d);
        }
        buffer.put(data);
        return buffer.array();
    }

    /** An unsigned-byte images file of {@code n} images, {@link #pixels} as data. */
    static byte[] images(int n) {
        return idx(IdxFile.IMAGES_MAGIC, new int[] {n, ROWS, COLS}, pixels(n));
    }

    /** An unsigned-byte labels file holding {@code labels}. */
    static byte[] labels(byte[] labels) {
        return idx(IdxFile.LABELS_MAGIC, new int[] {labels.length}, labels);
    }

    /** Pixels of {@code n} images; the first is 255, and bytes of 128 and over occur. */
    static byte[] pixels(int n) {
        byte[] pixels = new byte[n * ROWS * COLS];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (255 - 37 * k);
        }
        return pixels;
    }

    /** Labels {@code i % 10} for {@code n} images. */
    static byte[] labelValues(int n) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        return labels;
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] content) throws IOException {
        return Files.write(file, content);
    }

    /**
     * Writes the four files of a dataset with {@code trainCount} and {@code testCount} images into
     * {@code dir}, gzipped with {@code .gz} names or plain.
     */
    static Path writeDataset(Path dir, int trainCount, int testCount, boolean gzipped)
            throws IOException {
        String suffix = gzipped ? ".gz" : "";
        writeMaybeGzipped(dir.resolve(FashionMnist.TRAIN_IMAGES + suffix), images(trainCount),
                gzipped);
        writeMaybeGzipped(dir.resolve(FashionMnist.TRAIN_LABELS + suffix),
                labels(labelValues(trainCount)), gzipped);
        writeMaybeGzipped(dir.resolve(FashionMnist.TEST_IMAGES + suffix), images(testCount),
                gzipped);
        writeMaybeGzipped(dir.resolve(FashionMnist.TEST_LABELS + suffix),
                labels(labelValues(testCount)), gzipped);
        return dir;
    }

    private static void writeMaybeGzipped(Path file, byte[] content, boolean gzipped)
            throws IOException {
        write(file, gzipped ? gzip(content) : content);
    }
}
