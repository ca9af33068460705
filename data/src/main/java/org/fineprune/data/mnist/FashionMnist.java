package org.fineprune.data.mnist;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipException;
import org.fineprune.core.DataFormatException;
import org.fineprune.core.InputFiles;

/**
 * The Fashion-MNIST dataset (Xiao, Rasul and Vollgraf, "Fashion-MNIST: a Novel Image Dataset for
 * Benchmarking Machine Learning Algorithms", arXiv:1708.07747, 2017): 60,000 training and 10,000
 * test images of 28x28 grey-scale pixels, each labelled with one of ten {@link #CLASS_NAMES}.
 *
 * <p>{@link #load} reads the four IDX files of a folder, plain or gzipped, into memory as unsigned
 * bytes (about 55 MB for the full set); images are turned into floats only when asked for, one
 * image or one batch at a time. Debian's package {@code dataset-fashion-mnist} installs the files
 * into {@link #defaultDir()}.
 *
 * <pre>{@code
 * FashionMnist data = FashionMnist.load(FashionMnist.defaultDir());
 * FashionMnist.Split train = data.train();
 * float[] batch = train.batch(0, 32);      // NCHW (32, 1, 28, 28), values 0..255
 * int[] labels = train.labels(0, 32);
 * }</pre>
 */
public final class FashionMnist {
    /** Number of classes; labels are {@code 0 <= label < CLASSES}. */
    public static final int CLASSES = 10;
    /** Image height of the published dataset. */
    public static final int ROWS = 28;
    /** Image width of the published dataset. */
    public static final int COLS = 28;

    /** Class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover",
            "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Base name of the training images file; the folder may hold it plain or with {@code .gz}. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** Base name of the training labels file. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** Base name of the test images file. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** Base name of the test labels file. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /**
     * MD5 of each {@code .gz} file as published in the official repository's README
     * (zalandoresearch/fashion-mnist), keyed by file name: what a download must match byte for
     * byte.
     */
    public static final Map<String, String> GZ_MD5 = Map.of(
            TRAIN_IMAGES + ".gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            TRAIN_LABELS + ".gz", "25c81989df183df01b3e8a0aad5dffbe",
            TEST_IMAGES + ".gz", "bef4ecab320f06d8554ea6380940ec79",
            TEST_LABELS + ".gz", "bb300cfdad3c16e7a12a480ee83cd310");

    /**
     * MD5 of each file's decompressed content, keyed by base name. Unlike {@link #GZ_MD5}, these
     * hold for any copy of the data however it was compressed: Debian's package, for one, ships
     * the files recompressed without the gzip name field, so its {@code .gz} bytes differ from the
     * official ones while the IDX content is the same. Published beside the {@code .gz} checksums
     * by several public loaders, and matched by Debian's copy.
     */
    public static final Map<String, String> CONTENT_MD5 = Map.of(
            TRAIN_IMAGES, "f4a8712d7a061bf5bd6d2ca38dc4d50a",
            TRAIN_LABELS, "9018921c3c673c538a1fc5bad174d6f9",
            TEST_IMAGES, "8181f5470baa50b63fa0f6fddb340f0a",
            TEST_LABELS, "15d484375f8d13e6eb1aabb0c3f46965");

    private static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String HOW_TO_GET = "Install it with `apt-get install"
            + " dataset-fashion-mnist` (Debian; it fills " + DEFAULT_DIR + "), or download "
            + TRAIN_IMAGES + ".gz, " + TRAIN_LABELS + ".gz, " + TEST_IMAGES + ".gz and "
            + TEST_LABELS + ".gz from the official Fashion-MNIST repository"
            + " (github.com/zalandoresearch/fashion-mnist, folder data/fashion) into a folder and"
            + " pass that folder.";

    private final Path dir;
    private final Split train;
    private final Split test;

    private FashionMnist(Path dir, Split train, Split test) {
        this.dir = dir;
        this.train = train;
        this.test = test;
    }

    /** The folder Debian's package {@code dataset-fashion-mnist} installs the files into. */
    public static Path defaultDir() {
        return DEFAULT_DIR;
    }

    /**
     * Reads both splits from {@code dir}, which holds {@value #TRAIN_IMAGES}, {@value
     * #TRAIN_LABELS}, {@value #TEST_IMAGES} and {@value #TEST_LABELS}, each either plain or with
     * {@code .gz} (gzip is detected from the content, not the name).
     *
     * @throws DataFormatException if the folder or a file is missing (the message says how to get
     *     the data), a file is not a valid IDX file of unsigned bytes, a label lies outside {@code
     *     0..9}, or an images file and its labels file hold different counts
     * @throws IOException if a file cannot be read
     */
    public static FashionMnist load(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (Files.notExists(dir)) {
            throw new DataFormatException("Fashion-MNIST folder not found: " + dir + ". "
                    + HOW_TO_GET);
        }
        InputFiles.requireDirectory(dir, DataFormatException::new);
        Split train = readSplit(dir, "train", TRAIN_IMAGES, TRAIN_LABELS);
        Split test = readSplit(dir, "test", TEST_IMAGES, TEST_LABELS);
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new DataFormatException(dir + ": training images are " + train.rows() + "x"
                    + train.cols() + " but test images " + test.rows() + "x" + test.cols());
        }
        return new FashionMnist(dir, train, test);
    }

    /** The folder the data was read from. */
    public Path dir() {
        return dir;
    }

    /** The training split (60,000 images in the published dataset). */
    public Split train() {
        return train;
    }

    /** The test split (10,000 images in the published dataset). */
    public Split test() {
        return test;
    }

    /**
     * Checks a downloaded {@code .gz} file byte for byte against the official MD5 in {@link
     * #GZ_MD5}, chosen by the file's name. For a copy that was recompressed (such as Debian's),
     * use {@link #verifyContent} instead.
     *
     * @throws IllegalArgumentException if the file's name is not one of the four {@code .gz} names
     * @throws DataFormatException if the file is missing or its MD5 differs
     * @throws IOException if the file cannot be read
     */
    public static void verify(Path file) throws IOException {
        String name = fileName(file);
        String expected = GZ_MD5.get(name);
        if (expected == null) {
            throw new IllegalArgumentException(file + ": no published checksum for " + name
                    + "; known: " + String.join(", ", GZ_MD5.keySet().stream().sorted().toList()));
        }
        InputFiles.requireReadable(file, DataFormatException::new);
        String actual;
        try (InputStream in = Files.newInputStream(file)) {
            actual = md5Hex(in);
        }
        if (!actual.equals(expected)) {
            throw new DataFormatException(file + ": MD5 " + actual + " differs from the official "
                    + expected + " of " + name + " (a corrupt or incomplete download, or a"
                    + " recompressed copy: verifyContent checks the decompressed data)");
        }
    }

    /**
     * Checks a file's IDX content against {@link #CONTENT_MD5}, decompressing it first where it is
     * gzipped; the file's name, with or without {@code .gz}, chooses the checksum.
     *
     * @throws IllegalArgumentException if the file's name is not one of the four base names, with
     *     or without {@code .gz}
     * @throws DataFormatException if the file is missing, its gzip data is corrupt, or its MD5
     *     differs
     * @throws IOException if the file cannot be read
     */
    public static void verifyContent(Path file) throws IOException {
        String name = fileName(file);
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        String expected = CONTENT_MD5.get(base);
        if (expected == null) {
            throw new IllegalArgumentException(file + ": no known content checksum for " + name
                    + "; known: " + String.join(", ",
                            CONTENT_MD5.keySet().stream().sorted().toList()) + " (each also .gz)");
        }
        InputFiles.requireReadable(file, DataFormatException::new);
        String actual;
        try (InputStream in = IdxFile.open(file)) {
            actual = md5Hex(in);
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(file + ": corrupt or truncated gzip data: "
                    + e.getMessage(), e);
        }
        if (!actual.equals(expected)) {
            throw new DataFormatException(file + ": MD5 of the IDX content " + actual
                    + " differs from the published " + expected + " of " + base);
        }
    }

    static String md5Hex(InputStream in) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides MD5", e);
        }
        try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), md5)) {
            in.transferTo(sink);
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static String fileName(Path file) {
        Objects.requireNonNull(file, "file");
        Path name = file.getFileName();
        if (name == null) {
            throw new IllegalArgumentException(file + ": not a file name");
        }
        return name.toString();
    }

    private static Split readSplit(Path dir, String name, String imagesBase, String labelsBase)
            throws IOException {
        Path imagesFile = find(dir, imagesBase);
        Path labelsFile = find(dir, labelsBase);
        IdxFile images = IdxFile.readImages(imagesFile);
        IdxFile labels = IdxFile.readLabels(labelsFile);
        if (images.dim(0) != labels.dim(0)) {
            throw new DataFormatException(imagesFile + " holds " + images.dim(0) + " images but "
                    + labelsFile + " holds " + labels.dim(0) + " labels");
        }
        if (images.dim(1) == 0 || images.dim(2) == 0) {
            throw new DataFormatException(imagesFile + ": empty images of " + images.dim(1) + "x"
                    + images.dim(2) + " pixels");
        }
        byte[] labelBytes = labels.data();
        for (int i = 0; i < labelBytes.length; i++) {
            int label = labelBytes[i] & 0xFF;
            if (label >= CLASSES) {
                throw new DataFormatException(labelsFile + ": label " + label + " at index " + i
                        + " is outside 0.." + (CLASSES - 1));
            }
        }
        return new Split(name, images.dim(1), images.dim(2), images.data(), labelBytes);
    }

    /** The plain file if there is one, else the {@code .gz} one, else an error saying how. */
    private static Path find(Path dir, String base) {
        Path plain = dir.resolve(base);
        if (Files.exists(plain)) {
            return plain;
        }
        Path gz = dir.resolve(base + ".gz");
        if (Files.exists(gz)) {
            return gz;
        }
        throw new DataFormatException(dir + ": neither " + base + " nor " + base + ".gz found. "
                + HOW_TO_GET);
    }

    /**
     * One split of the dataset: {@code n = labels.length} images of {@code rows x cols} unsigned
     * bytes, stored image after image in {@code pixels}, and their labels {@code 0..9}.
     *
     * <p>The record copies the arrays it is given and its accessors {@link #pixels()} and {@link
     * #labels()} return copies, so a split never changes; read images through {@link #image},
     * {@link #batch} and {@link #label}, which copy only what they return.
     *
     * @param name a name for messages, such as {@code train}
     * @param rows image height
     * @param cols image width
     * @param pixels {@code n * rows * cols} unsigned bytes (0..255), image after image, row-major
     * @param labels {@code n} labels, each {@code 0 <= label < }{@link #CLASSES}
     */
    public record Split(String name, int rows, int cols, byte[] pixels, byte[] labels) {
        /** Validates the sizes and label range, and copies the arrays. */
        public Split {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            if (rows < 1 || cols < 1) {
                throw new IllegalArgumentException(name + ": rows and cols must be positive, got "
                        + rows + "x" + cols);
            }
            Objects.requireNonNull(pixels, "pixels");
            Objects.requireNonNull(labels, "labels");
            long expected = (long) labels.length * rows * cols;
            if (pixels.length != expected) {
                throw new IllegalArgumentException(name + ": " + labels.length + " labels of "
                        + rows + "x" + cols + " images need " + expected + " pixels, got "
                        + pixels.length);
            }
            for (int i = 0; i < labels.length; i++) {
                if ((labels[i] & 0xFF) >= CLASSES) {
                    throw new IllegalArgumentException(name + ": label " + (labels[i] & 0xFF)
                            + " at index " + i + " is outside 0.." + (CLASSES - 1));
                }
            }
            pixels = pixels.clone();
            labels = labels.clone();
        }

        /** The number of images. */
        public int size() {
            return labels.length;
        }

        /** Pixels per image, {@code rows * cols}. */
        public int imageSize() {
            return rows * cols;
        }

        /** All pixels as unsigned bytes, image after image: a copy. */
        @Override
        public byte[] pixels() {
            return pixels.clone();
        }

        /** All labels, one byte each: a copy. */
        @Override
        public byte[] labels() {
            return labels.clone();
        }

        /** The label of image {@code i}, {@code 0..9}. */
        public int label(int i) {
            return labels[Objects.checkIndex(i, labels.length)];
        }

        /** The labels of images {@code from} (inclusive) to {@code to} (exclusive). */
        public int[] labels(int from, int to) {
            Objects.checkFromToIndex(from, to, labels.length);
            int[] out = new int[to - from];
            for (int k = 0; k < out.length; k++) {
                out[k] = labels[from + k];
            }
            return out;
        }

        /** Image {@code i} as {@code rows * cols} floats 0..255, row-major. */
        public float[] image(int i) {
            Objects.checkIndex(i, labels.length);
            return batch(i, i + 1);
        }

        /**
         * Images {@code from} (inclusive) to {@code to} (exclusive) as floats 0..255 in NCHW
         * order, shape {@code (to - from, 1, rows, cols)} (see {@link #batchShape}).
         */
        public float[] batch(int from, int to) {
            Objects.checkFromToIndex(from, to, labels.length);
            int size = imageSize();
            long count = (long) (to - from) * size;
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(name + ": " + (to - from)
                        + " images are too many for one float array");
            }
            float[] out = new float[(int) count];
            int offset = from * size;
            for (int k = 0; k < out.length; k++) {
                out[k] = pixels[offset + k] & 0xFF;
            }
            return out;
        }

        /** The NCHW shape {@code (count, 1, rows, cols)} of a batch of {@code count} images. */
        public long[] batchShape(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative, got " + count);
            }
            return new long[] {count, 1, rows, cols};
        }

        /** How many images each class has, indexed by label. */
        public int[] classCounts() {
            int[] counts = new int[CLASSES];
            for (byte label : labels) {
                counts[label]++;
            }
            return counts;
        }

        /** Equal when name, size and every pixel and label are equal. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Split s && name.equals(s.name) && rows == s.rows && cols == s.cols
                    && Arrays.equals(labels, s.labels) && Arrays.equals(pixels, s.pixels);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, rows, cols, Arrays.hashCode(labels),
                    Arrays.hashCode(pixels));
        }

        /** A summary such as {@code Split[train: 60000 images 28x28]}, without the data. */
        @Override
        public String toString() {
            return "Split[" + name + ": " + size() + " images " + rows + "x" + cols + "]";
        }
    }
}
