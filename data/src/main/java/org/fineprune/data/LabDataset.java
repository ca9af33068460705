package org.fineprune.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fineprune.core.BadNet;
import org.fineprune.core.DataFormatException;
import org.fineprune.core.DeepId;
import org.fineprune.core.Hdf5Inputs;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ImageSource;

/**
 * Images in the HDF5 layout of the CSAW-HackML-2020 lab3 files: a dataset {@code data} of shape
 * (N, C, H, W), NCHW with raw 0..255 pixel values, and a dataset {@code label} of N class numbers.
 * The lab's files hold (N, 3, 55, 47) DeepID faces; {@link #open(Path, BadNet)} takes images of
 * any model's input shape.
 *
 * <p>The file is checked when it is opened, but the images are read only by {@link
 * #forEachBatch}, a batch at a time, because the lab's full files hold over ten thousand images.
 * No file handle is held between calls.
 */
public final class LabDataset implements ImageSource {
    private static final String DATA = "data";
    private static final String LABEL = "label";

    private final Path file;
    private final Input input;
    private final int size;
    private final int[] labels;

    /**
     * What the images are for: a model taking images of {@code shape} into {@code classes} classes.
     *
     * @param model the model as messages name it, for example {@code model.onnx}
     */
    private record Input(ImageShape shape, int classes, String model) {
        static final Input DEEPID = new Input(ImageShape.DEEPID, DeepId.CLASSES, DeepId.GRAPH.name());
    }

    private LabDataset(Path file, Input input, int size, int[] labels) {
        this.file = file;
        this.input = input;
        this.size = size;
        this.labels = labels;
    }

    /**
     * Opens a labelled file whose labels are lab3 identities, {@code 0 <= label < }{@link
     * DeepId#CLASSES}.
     *
     * @throws DataFormatException if the file is missing, is not HDF5, or does not hold valid
     *     {@code data} and {@code label} datasets
     */
    public static LabDataset open(Path file) {
        return open(file, Input.DEEPID);
    }

    /**
     * Opens a labelled file whose labels must be whole numbers in {@code [0, numClasses)}.
     *
     * @throws DataFormatException if the file is missing, is not HDF5, or does not hold valid
     *     {@code data} and {@code label} datasets
     */
    public static LabDataset open(Path file, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be positive, got " + numClasses);
        }
        return open(file, new Input(ImageShape.DEEPID, numClasses, DeepId.GRAPH.name()));
    }

    /**
     * Opens a labelled file of images for {@code model}: {@code data} of shape (N, C, H, W) with
     * (C, H, W) the model's input, and labels among the model's classes.
     *
     * @throws DataFormatException if the file is missing, is not HDF5, or does not hold valid
     *     {@code data} and {@code label} datasets for this model (naming both shapes)
     */
    public static LabDataset open(Path file, BadNet model) {
        return open(file, new Input(model.architecture().input(), model.architecture().classes(),
                String.valueOf(model.source().getFileName())));
    }

    private static LabDataset open(Path file, Input input) {
        try (HdfFile hdf = openHdf(file)) {
            int size = checkedData(file, hdf, input).getDimensions()[0];
            return new LabDataset(file, input, size, readLabels(file, hdf, size, input.classes()));
        }
    }

    /**
     * Opens a file for its images only: a {@code label} dataset is not required, and is ignored
     * where there is one.
     *
     * @throws DataFormatException if the file is missing, is not HDF5, or has no valid {@code
     *     data} dataset
     */
    public static LabDataset openUnlabelled(Path file) {
        try (HdfFile hdf = openHdf(file)) {
            return new LabDataset(file, Input.DEEPID,
                    checkedData(file, hdf, Input.DEEPID).getDimensions()[0], null);
        }
    }

    /** The HDF5 file. */
    public Path file() {
        return file;
    }

    /** A copy of the labels, one per image in file order, or null for an unlabelled dataset. */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean labelled() {
        return labels != null;
    }

    /**
     * Reads the images in slices of {@code batchSize}, so that memory use depends on the batch
     * size and not on the file.
     *
     * @throws IllegalArgumentException if a batch would hold more values than a Java array
     * @throws DataFormatException if the file no longer matches what {@code open} found, cannot
     *     be read, or holds a NaN or infinite pixel value
     */
    @Override
    public void forEachBatch(int batchSize, Consumer<ImageBatch> consumer) {
        ImageSource.requireBatchSize(batchSize);
        int largest = Math.min(batchSize, size);
        int imageValues = input.shape().size();
        if ((long) largest * imageValues > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a batch of " + largest + " images of " + file
                    + " holds more pixel values than a Java array (" + Integer.MAX_VALUE
                    + "); use a batch size of at most " + Integer.MAX_VALUE / imageValues);
        }
        try (HdfFile hdf = openHdf(file)) {
            Dataset data = checkedData(file, hdf, input);
            // The file may have been replaced since it was opened; the labels are the old file's.
            if (data.getDimensions()[0] != size) {
                throw new DataFormatException(file + ": dataset 'data' now holds "
                        + data.getDimensions()[0] + " images, it held " + size
                        + " when the file was opened");
            }
            long length = Hdf5Inputs.fileLength(hdf);
            for (int first = 0; first < size; first += batchSize) {
                int count = Math.min(batchSize, size - first);
                // The file is mapped (Hdf5Inputs), and reading where a file cut in place used to
                // end faults with an InternalError, thrown wherever the JIT puts it: look first.
                long now = file.toFile().length();
                if (now < length) {
                    throw new DataFormatException(file + ": cut from " + length + " to " + now
                            + " bytes while images " + first + ".. were being read");
                }
                float[] pixels = readImages(data, first, count);
                int[] batchLabels =
                        labels == null ? null : Arrays.copyOfRange(labels, first, first + count);
                consumer.accept(new ImageBatch(pixels, batchLabels, count));
            }
        }
    }

    @Override
    public String toString() {
        return "LabDataset[" + file + ", " + size + " images" + (labelled() ? "" : ", unlabelled")
                + "]";
    }

    private static HdfFile openHdf(Path file) {
        return Hdf5Inputs.open(file, "HDF5 file", DataFormatException::new);
    }

    /** The {@code data} dataset, after checking its shape against the model's and its element type. */
    private static Dataset checkedData(Path file, HdfFile hdf, Input input) {
        Dataset data = dataset(file, hdf, DATA, true);
        int[] shape = Hdf5Inputs.checkedShape(file, hdf, data, "dataset 'data'",
                DataFormatException::new);
        ImageShape image = input.shape();
        if (shape.length != 4 || shape[1] != image.channels() || shape[2] != image.height()
                || shape[3] != image.width()) {
            String hint = shape.length == 4 && shape[3] == image.channels()
                            && shape[1] == image.height() && shape[2] == image.width()
                    ? "; the images are channels-last (NHWC) and must be transposed to NCHW"
                    : "";
            int[] perImage = Arrays.copyOfRange(shape, Math.min(1, shape.length), shape.length);
            throw new DataFormatException(file + ": images are " + shape("N", perImage) + " but "
                    + input.model() + " takes " + shape(null, new int[] {image.channels(),
                            image.height(), image.width()}) + " (NCHW)" + hint);
        }
        if (shape[0] == 0) {
            throw new DataFormatException(file + ": dataset 'data' holds no images");
        }
        // Every image takes at least a byte of the file, however well it compresses; a larger
        // count is a crafted header, and the labels would be allocated from it.
        long length = Hdf5Inputs.fileLength(hdf);
        if (shape[0] > length) {
            throw new DataFormatException(file + ": dataset 'data' declares " + shape[0]
                    + " images, more than the " + length + " bytes of the file can hold"
                    + " (a corrupt or crafted header)");
        }
        if (!isNumeric(data.getDataType())) {
            throw new DataFormatException(file + ": dataset 'data' has element type "
                    + typeName(data.getDataType())
                    + ", expected uint8, float32 or float64 (or another integer type)");
        }
        return data;
    }

    private static int[] readLabels(Path file, HdfFile hdf, int size, int numClasses) {
        Dataset label = dataset(file, hdf, LABEL, false);
        if (label == null) {
            throw new DataFormatException(file + ": no dataset 'label'; open the file as unlabelled"
                    + " to use its images without labels");
        }
        int[] shape = Hdf5Inputs.checkedShape(file, hdf, label, "dataset 'label'",
                DataFormatException::new);
        if (shape.length != 1 || shape[0] != size) {
            throw new DataFormatException(file + ": dataset 'label' has shape " + shape(shape)
                    + ", expected (" + size + "), one label for each image in 'data'");
        }
        if (!isNumeric(label.getDataType())) {
            throw new DataFormatException(file + ": dataset 'label' has element type "
                    + typeName(label.getDataType()) + ", expected an integer or float type");
        }
        Object values;
        try {
            values = label.getData();
        } catch (RuntimeException e) {
            throw new DataFormatException(
                    file + ": cannot read dataset 'label' (" + e.getMessage() + ")", e);
        }
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            double value = Array.getDouble(values, i);
            if (value != Math.rint(value) || value < 0 || value >= numClasses) {
                String shown = value == Math.rint(value)
                        ? String.format(Locale.ROOT, "%.0f", value)
                        : Double.toString(value);
                throw new DataFormatException(file + ": label " + i + " is " + shown
                        + ", expected a whole number in [0, " + numClasses + ")");
            }
            labels[i] = (int) value;
        }
        return labels;
    }

    /** The dataset called {@code name}, or null if it is optional and absent. */
    private static Dataset dataset(Path file, HdfFile hdf, String name, boolean required) {
        Node node;
        try {
            node = hdf.getChild(name);
        } catch (RuntimeException e) {
            throw new DataFormatException(file + ": not a readable HDF5 file (cannot read '"
                    + name + "': " + e.getMessage() + ")", e);
        }
        if (node == null) {
            if (!required) {
                return null;
            }
            throw new DataFormatException(file + ": no dataset '" + name + "'; the file holds "
                    + hdf.getChildren().keySet().stream().sorted()
                            .collect(Collectors.joining(", ", "[", "]")));
        }
        if (!(node instanceof Dataset dataset)) {
            throw new DataFormatException(file + ": '" + name + "' is a " + node.getType()
                    + ", expected a dataset");
        }
        return dataset;
    }

    /**
     * Reads {@code count} images from {@code first} with one sliced read, whatever the layout;
     * jhdf reads slices of chunked datasets right from version 0.11.0 (jhdf issue 727).
     */
    private float[] readImages(Dataset data, int first, int count) {
        Object slice;
        try {
            ImageShape image = input.shape();
            slice = data.getData(new long[] {first, 0, 0, 0},
                    new int[] {count, image.channels(), image.height(), image.width()});
        } catch (RuntimeException e) {
            throw unreadable(first, count, e);
        }
        float[] pixels = new float[count * input.shape().size()];
        int at = 0;
        for (int i = 0; i < count; i++) {
            for (Object channel : (Object[]) Array.get(slice, i)) {
                for (Object row : (Object[]) channel) {
                    at = copyValues(row, pixels, at);
                }
            }
            checkFinite(pixels, i, first + i);
        }
        return pixels;
    }

    private DataFormatException unreadable(int first, int count, RuntimeException cause) {
        return new DataFormatException(file + ": cannot read images " + first + ".."
                + (first + count - 1) + " of dataset 'data' (" + cause.getMessage() + ")", cause);
    }

    /** Copies a one-dimensional array of numbers into {@code pixels} from {@code at}. */
    private static int copyValues(Object values, float[] pixels, int at) {
        int next = at;
        if (values instanceof float[] floats) {
            System.arraycopy(floats, 0, pixels, at, floats.length);
            next += floats.length;
        } else if (values instanceof double[] doubles) {
            for (double v : doubles) {
                pixels[next++] = (float) v;
            }
        } else if (values instanceof int[] ints) {
            for (int v : ints) {
                pixels[next++] = v;
            }
        } else if (values instanceof byte[] bytes) {
            for (byte v : bytes) {
                pixels[next++] = v;
            }
        } else if (values instanceof short[] shorts) {
            for (short v : shorts) {
                pixels[next++] = v;
            }
        } else if (values instanceof long[] longs) {
            for (long v : longs) {
                pixels[next++] = v;
            }
        } else {
            throw new IllegalStateException("isNumeric admitted " + values.getClass());
        }
        return next;
    }

    private void checkFinite(float[] pixels, int inBatch, int image) {
        ImageShape shape = input.shape();
        int start = inBatch * shape.size();
        for (int k = 0; k < shape.size(); k++) {
            float v = pixels[start + k];
            if (!Float.isFinite(v)) {
                int plane = shape.planeSize();
                throw new DataFormatException(file + ": image " + image + " has pixel value " + v
                        + " at channel " + k / plane + ", row " + k % plane / shape.width()
                        + ", column " + k % shape.width());
            }
        }
    }

    /** Whether jhdf reads the type as a primitive number (unsigned 64-bit comes as BigInteger). */
    private static boolean isNumeric(DataType type) {
        if (type instanceof FloatingPoint) {
            return true;
        }
        if (type instanceof FixedPoint fixed) {
            int bits = fixed.getBitPrecision();
            return bits == 8 || bits == 16 || bits == 32 || bits == 64 && fixed.isSigned();
        }
        return false;
    }

    private static String typeName(DataType type) {
        if (type instanceof FixedPoint fixed) {
            return (fixed.isSigned() ? "int" : "uint") + fixed.getBitPrecision();
        }
        if (type instanceof FloatingPoint) {
            return "float" + type.getSize() * 8;
        }
        return type.getClass().getSimpleName();
    }

    private static String shape(int[] shape) {
        return shape(null, shape);
    }

    /** The shape as {@code (first, d1, d2, ...)}, or {@code (d1, d2, ...)} without a first. */
    private static String shape(String first, int[] dims) {
        return Stream.concat(Stream.ofNullable(first), Arrays.stream(dims).mapToObj(Integer::toString))
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
