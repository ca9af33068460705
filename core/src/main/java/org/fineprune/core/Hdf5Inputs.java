package org.fineprune.core;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Opens HDF5 input files and checks what their headers declare before anything is allocated from
 * it: a cut-off file, a dimension beyond what a Java array holds, a dataset larger than the file,
 * and a dataset that was declared but never written each get one message naming the file, where
 * jhdf would fail later with an exception that does not say why (or run out of memory).
 *
 * <p>Each method takes the exception to throw, so that a data reader raises a {@link
 * DataFormatException} and the weights reader a {@link ModelFormatException}.
 */
public final class Hdf5Inputs {
    private Hdf5Inputs() {}

    /**
     * Opens {@code file} after {@link InputFiles#requireReadable} and checks that it is as long as
     * its superblock says.
     *
     * @param kind what the file should be, for messages: "not a readable {@code kind}"
     * @param fault makes the exception to throw from a message that names the file
     */
    public static HdfFile open(Path file, String kind,
            Function<String, ? extends FinepruneException> fault) {
        InputFiles.requireReadable(file, fault);
        HdfFile hdf;
        try {
            hdf = openMapped(file);
        } catch (IOException e) {
            throw withCause(fault.apply(file + ": cannot be read (" + e.getMessage() + ")"), e);
        } catch (RuntimeException e) {
            throw withCause(fault.apply(file + ": not a readable " + kind + " (" + e.getMessage() + ")"), e);
        }
        // jhdf opens a cut-off file without complaint and fails only when it reads past the end,
        // with a message that does not say why; the superblock records the intended length.
        Superblock superblock = hdf.getHdfBackingStorage().getSuperblock();
        long expected = superblock.getBaseAddressByte() + superblock.getEndOfFileAddress();
        long actual = fileLength(hdf);
        if (actual < expected) {
            hdf.close();
            throw fault.apply(file + ": not a readable " + kind + " (truncated: " + actual
                    + " bytes, its header says " + expected + ")");
        }
        return hdf;
    }

    /**
     * jhdf reads each header block into a new buffer of the length the header declares, so a
     * crafted length of 2 GB runs out of memory; over a mapping of the file it takes a slice
     * instead, which cannot reach past the end. One mapping holds at most 2 GiB, and larger files
     * (no lab file is) are read through jhdf's file channel.
     */
    private static HdfFile openMapped(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            return size > Integer.MAX_VALUE ? new HdfFile(file)
                    : HdfFile.fromByteBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
        }
    }

    /**
     * The shape of {@code dataset} after checking that the file can hold what its header declares:
     * every dimension fits a Java array, a number takes 1, 2, 4 or 8 bytes, the dataset was
     * written, and contiguous data lies within the file.
     *
     * @param what the dataset as messages name it, for example "dataset 'data'"
     * @param fault makes the exception to throw from a message that names the file
     */
    public static int[] checkedShape(Path file, HdfFile hdf, Dataset dataset, String what,
            Function<String, ? extends FinepruneException> fault) {
        try {
            return shapeWithinFile(file, hdf, dataset, what, fault);
        } catch (FinepruneException e) {
            throw e;
        } catch (RuntimeException e) {
            // jhdf parses a corrupt header into its own exceptions, arithmetic and buffer errors.
            throw withCause(fault.apply(file + ": " + what + " has an unreadable header ("
                    + e.getMessage() + ")"), e);
        }
    }

    private static int[] shapeWithinFile(Path file, HdfFile hdf, Dataset dataset, String what,
            Function<String, ? extends FinepruneException> fault) {
        long[] dims = dataset.getDimensionsAsLong();
        String declared = what + " declares shape " + shape(dims);
        for (long dim : dims) {
            // HDF5 dimensions are unsigned; one of 2^63 or more reads as negative.
            if (dim < 0 || dim > Integer.MAX_VALUE) {
                throw fault.apply(file + ": " + declared + "; a dimension over " + Integer.MAX_VALUE
                        + " cannot be read (a corrupt or crafted header)");
            }
        }
        DataType type = dataset.getDataType();
        int elementSize = type.getSize();
        // jhdf sizes its read buffers by the element size before it looks at the type.
        if ((type instanceof FixedPoint || type instanceof FloatingPoint)
                && (elementSize < 1 || elementSize > 8 || Integer.bitCount(elementSize) != 1)) {
            throw fault.apply(file + ": " + what + " declares numbers of " + elementSize
                    + " bytes each, not 1, 2, 4 or 8 (a corrupt or crafted header)");
        }
        long bytes = sizeInBytes(dims, elementSize);
        if (bytes > 0 && dataset.isEmpty()) {
            throw fault.apply(file + ": " + declared
                    + " but was never written (the file holds no data for it)");
        }
        long length = fileLength(hdf);
        if (dataset instanceof ContiguousDataset contiguous
                && (bytes > length || contiguous.getDataAddress() > length - bytes)) {
            throw fault.apply(file + ": " + declared + ", more data than the " + length
                    + " bytes of the file hold (a corrupt or crafted header)");
        }
        return Arrays.stream(dims).mapToInt(Math::toIntExact).toArray();
    }

    /** The length of the open file in bytes. */
    public static long fileLength(HdfFile hdf) {
        return hdf.getHdfBackingStorage().size();
    }

    /** The bytes {@code dims} elements of {@code elementSize} take, or Long.MAX_VALUE past that. */
    private static long sizeInBytes(long[] dims, long elementSize) {
        long bytes = elementSize;
        for (long dim : dims) {
            try {
                bytes = Math.multiplyExact(bytes, dim);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return bytes;
    }

    private static String shape(long[] dims) {
        return Arrays.stream(dims).mapToObj(Long::toUnsignedString)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static FinepruneException withCause(FinepruneException e, Throwable cause) {
        e.initCause(cause);
        return e;
    }
}
