package org.fineprune.data.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.fineprune.data.mnist.FashionMnist;

/**
 * Writes a small Fashion-MNIST folder for tests: the four IDX files of {@link FashionMnist}, holding
 * random 28x28 images labelled 0..9 in turn, the same bytes for the same sizes.
 */
public final class FashionMnistFolderFixture {
    private FashionMnistFolderFixture() {}

    /**
     * Writes {@code train} training and {@code test} test images into {@code dir} (created if needed).
     *
     * @return {@code dir}
     * @throws IOException if a file cannot be written
     */
    public static Path write(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        writeSplit(dir, FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, train, 1);
        writeSplit(dir, FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS, test, 2);
        return dir;
    }

    private static void writeSplit(Path dir, String images, String labels, int count, long seed) throws IOException {
        byte[] pixels = new byte[count * FashionMnist.ROWS * FashionMnist.COLS];
        new SplittableRandom(seed).nextBytes(pixels);
        byte[] classes = new byte[count];
        for (int i = 0; i < count; i++) {
            classes[i] = (byte) (i % FashionMnist.CLASSES);
        }
        Files.write(dir.resolve(images), ByteBuffer.allocate(16 + pixels.length).putInt(0x803).putInt(count)
                .putInt(FashionMnist.ROWS).putInt(FashionMnist.COLS).put(pixels).array());
        Files.write(dir.resolve(labels), ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count).put(classes)
                .array());
    }
}
