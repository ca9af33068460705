package org.fineprune.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.fineprune.core.DataFormatException;
import org.fineprune.core.DeepId;
import org.fineprune.core.InputFiles;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ImageSource;

/**
 * Reads PNG and JPEG images into the NCHW layout of the lab's HDF5 files, raw 0..255 values: the
 * lab's 55 x 47 faces, or images of any model's input shape. Three channels are R, G, B, with
 * grey copied to all three; one channel is grey, colour converted by the luma weights of ITU-R
 * BT.601. Alpha is ignored. CMYK and YCCK JPEGs, which the JDK's reader decodes with wrong
 * colours, are converted to RGB by the TwelveMonkeys JPEG plugin that ImageIO finds on the class
 * path.
 */
public final class FaceImages {
    private FaceImages() {}

    /**
     * Reads one image into {@link DeepId#IMAGE_VALUES} values.
     *
     * @throws DataFormatException if the file is missing, is not a readable image, or is not
     *     47 columns by 55 rows
     */
    public static float[] read(Path file) {
        float[] pixels = new float[DeepId.IMAGE_VALUES];
        readInto(file, ImageShape.DEEPID, pixels, 0);
        return pixels;
    }

    /**
     * The images in {@code files}, in that order and without labels, read a batch at a time.
     *
     * @throws IllegalArgumentException if {@code files} is empty
     * @throws DataFormatException if a file does not exist
     */
    public static ImageSource source(List<Path> files) {
        return source(files, ImageShape.DEEPID);
    }

    /**
     * The images in {@code files}, in that order and without labels, each of {@code shape} (one
     * or three channels), read a batch at a time.
     *
     * @throws IllegalArgumentException if {@code files} is empty or {@code shape} has neither one
     *     nor three channels
     * @throws DataFormatException if a file does not exist
     */
    public static ImageSource source(List<Path> files, ImageShape shape) {
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException("images have one (grey) or three (RGB) channels, not "
                    + shape.channels() + " as in " + shape);
        }
        return new ImageList(files, shape, null);
    }

    /**
     * The images in {@code files}, in that order, with {@code labels[i]} the label of {@code
     * files.get(i)}, read a batch at a time.
     *
     * @throws IllegalArgumentException if {@code files} is empty, the counts differ, or a label
     *     is outside {@code [0, }{@link DeepId#CLASSES}{@code )}
     * @throws DataFormatException if a file does not exist
     */
    public static ImageSource source(List<Path> files, int[] labels) {
        if (labels.length != files.size()) {
            throw new IllegalArgumentException(
                    files.size() + " image files but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= DeepId.CLASSES) {
                throw new IllegalArgumentException("label " + labels[i] + " of " + files.get(i)
                        + " is outside [0, " + DeepId.CLASSES + ")");
            }
        }
        return new ImageList(files, ImageShape.DEEPID, labels.clone());
    }

    /**
     * The PNG and JPEG files directly in {@code directory}, sorted by name, as an unlabelled
     * source.
     *
     * @throws DataFormatException if the directory does not exist or holds no such file
     * @throws IOException if the directory cannot be listed
     */
    public static ImageSource folder(Path directory) throws IOException {
        InputFiles.requireDirectory(directory, DataFormatException::new);
        List<Path> files;
        try (Stream<Path> entries = Files.list(directory)) {
            files = entries.filter(Files::isRegularFile).filter(FaceImages::isImageName).sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new DataFormatException(directory + ": no PNG or JPEG files");
        }
        return new ImageList(files, ImageShape.DEEPID, null);
    }

    private static boolean isImageName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    /** Decodes {@code file} into {@code pixels}, one image of {@code shape} starting at {@code offset}. */
    private static void readInto(Path file, ImageShape shape, float[] pixels, int offset) {
        InputFiles.requireReadable(file, DataFormatException::new);
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException(
                    file + ": not a readable image (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new DataFormatException(file + ": not a readable image (not a PNG or JPEG file)");
        }
        if (image.getWidth() != shape.width() || image.getHeight() != shape.height()) {
            throw new DataFormatException(file + ": image is " + image.getWidth() + "x"
                    + image.getHeight() + " (columns x rows), expected " + shape.width() + "x"
                    + shape.height());
        }
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        // getRGB treats Java's grey colour space as linear and brightens it towards sRGB (100
        // becomes 168), so grey samples are taken from the raster as stored.
        boolean grey = !(model instanceof IndexColorModel)
                && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        float greyScale = 255f / ((1 << model.getComponentSize(0)) - 1);
        int plane = shape.planeSize();
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                int at = offset + y * shape.width() + x;
                float r;
                float g;
                float b;
                if (grey) {
                    r = Math.round(raster.getSample(x, y, 0) * greyScale);
                    g = r;
                    b = r;
                } else {
                    int rgb = image.getRGB(x, y);
                    r = (rgb >> 16) & 0xFF;
                    g = (rgb >> 8) & 0xFF;
                    b = rgb & 0xFF;
                }
                if (shape.channels() == 1) {
                    pixels[at] = grey ? r : Math.round(0.299f * r + 0.587f * g + 0.114f * b);
                } else {
                    pixels[at] = r;
                    pixels[at + plane] = g;
                    pixels[at + 2 * plane] = b;
                }
            }
        }
    }

    /** A list of image files, decoded only when a batch is read. */
    private static final class ImageList implements ImageSource {
        private final List<Path> files;
        private final ImageShape shape;
        private final int[] labels;
        private final String name;

        ImageList(List<Path> files, ImageShape shape, int[] labels) {
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no image files");
            }
            this.files = List.copyOf(files);
            this.shape = shape;
            this.labels = labels;
            // Fail on a mistyped path now rather than after earlier batches have been used.
            this.files.forEach(f -> InputFiles.requireReadable(f, DataFormatException::new));
            Path parent = this.files.get(0).toAbsolutePath().getParent();
            boolean oneFolder = this.files.stream()
                    .allMatch(f -> f.toAbsolutePath().getParent().equals(parent));
            this.name = (oneFolder ? parent + " " : "") + "(" + this.files.size() + " images)";
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int size() {
            return files.size();
        }

        @Override
        public boolean labelled() {
            return labels != null;
        }

        @Override
        public void forEachBatch(int batchSize, Consumer<ImageBatch> consumer) {
            ImageSource.requireBatchSize(batchSize);
            for (int first = 0; first < files.size(); first += batchSize) {
                int count = Math.min(batchSize, files.size() - first);
                float[] pixels = new float[count * shape.size()];
                for (int i = 0; i < count; i++) {
                    readInto(files.get(first + i), shape, pixels, i * shape.size());
                }
                int[] batchLabels = null;
                if (labels != null) {
                    batchLabels = new int[count];
                    System.arraycopy(labels, first, batchLabels, 0, count);
                }
                consumer.accept(new ImageBatch(pixels, batchLabels, count));
            }
        }

        @Override
        public String toString() {
            return "FaceImages[" + name + (labels == null ? ", unlabelled" : "") + "]";
        }
    }
}
