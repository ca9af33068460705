package org.fineprune.data.mnist;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.fineprune.core.DataFormatException;
import org.fineprune.core.InputFiles;

/**
 * One IDX file of unsigned bytes, the format of the MNIST family: a big-endian magic number
 * {@code 0x0000TTDD} (element type {@code TT}, {@code DD} dimensions), the dimensions as
 * big-endian 32-bit counts, then the elements in row-major order.
 *
 * <p>A file is read whole, and transparently decompressed when it starts with the gzip magic bytes
 * {@code 1f 8b}, whatever its name. Only unsigned bytes (type {@code 0x08}) are supported; every
 * other problem is a {@link DataFormatException} whose message starts with the file.
 */
final class IdxFile {
    /** Magic number of an unsigned-byte image file, dimensions [n, rows, cols]. */
    static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte label file, dimensions [n]. */
    static final int LABELS_MAGIC = 0x00000801;

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int BUFFER = 1 << 16;
    // A Java array holds a little less than Integer.MAX_VALUE elements on common JVMs.
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final Path file;
    private final int[] dims;
    private final byte[] data;

    private IdxFile(Path file, int[] dims, byte[] data) {
        this.file = file;
        this.dims = dims;
        this.data = data;
    }

    /** Reads an image file: magic {@code 0x00000803}, dimensions [n, rows, cols]. */
    static IdxFile readImages(Path file) throws IOException {
        return read(file, IMAGES_MAGIC);
    }

    /** Reads a label file: magic {@code 0x00000801}, dimensions [n]. */
    static IdxFile readLabels(Path file) throws IOException {
        return read(file, LABELS_MAGIC);
    }

    /**
     * Reads a whole file whose magic number must be {@code expectedMagic}.
     *
     * @throws DataFormatException if the file is missing, is not IDX, has another magic number or
     *     element type, holds fewer bytes than its header promises, or more
     * @throws IOException if the file cannot be read
     */
    static IdxFile read(Path file, int expectedMagic) throws IOException {
        InputFiles.requireReadable(file, DataFormatException::new);
        try (InputStream in = open(file)) {
            int magic = readInt(in, file, "the 4-byte magic number");
            checkMagic(file, magic, expectedMagic);

            int rank = magic & 0xFF;
            int[] dims = new int[rank];
            long elements = 1;
            for (int d = 0; d < rank; d++) {
                long size = Integer.toUnsignedLong(readInt(in, file, "the header's dimensions"));
                if (size > Integer.MAX_VALUE) {
                    throw new DataFormatException(file + ": dimension " + d + " is " + size
                            + ", more than a Java array holds");
                }
                dims[d] = (int) size;
                elements *= size;
                if (elements > MAX_ELEMENTS) {
                    throw new DataFormatException(file + ": the header's dimensions "
                            + Arrays.toString(Arrays.copyOf(dims, d + 1)) + " multiply to more"
                            + " than " + MAX_ELEMENTS + " bytes, more than a Java array holds");
                }
            }

            byte[] data = in.readNBytes((int) elements);
            if (data.length < elements) {
                throw new DataFormatException(file + ": truncated: the header "
                        + Arrays.toString(dims) + " promises " + elements + " bytes of data, found "
                        + data.length);
            }
            int next = in.read();
            if (next != -1) {
                long extra = 1 + in.transferTo(OutputStream.nullOutputStream());
                throw new DataFormatException(file + ": " + extra + " trailing byte"
                        + (extra == 1 ? "" : "s") + " after the " + elements
                        + " bytes of data that the header " + Arrays.toString(dims) + " promises");
            }
            return new IdxFile(file, dims, data);
        } catch (EOFException e) {
            // GZIPInputStream's word for a compressed stream cut short.
            throw new DataFormatException(file + ": the gzip stream ends early (truncated file?)",
                    e);
        } catch (ZipException e) {
            throw new DataFormatException(file + ": corrupt gzip data: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a file for reading, decompressing it when it starts with the gzip magic bytes.
     *
     * @throws IOException if the file cannot be opened or its gzip header is invalid
     */
    static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new GZIPInputStream(in, BUFFER);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The file this was read from. */
    Path file() {
        return file;
    }

    /** The number of dimensions. */
    int rank() {
        return dims.length;
    }

    /** The size of dimension {@code d}. */
    int dim(int d) {
        return dims[d];
    }

    /** The dimensions, a copy. */
    int[] dims() {
        return dims.clone();
    }

    /** The elements in row-major order: the array read, not a copy, so the caller owns it. */
    byte[] data() {
        return data;
    }

    private static void checkMagic(Path file, int magic, int expected) {
        if ((magic >>> 16) != 0) {
            throw new DataFormatException(String.format(
                    "%s: not an IDX file: magic number 0x%08X does not start with two zero bytes"
                            + " (expected 0x%08X, %s)",
                    file, magic, expected, describe(expected)));
        }
        int type = (magic >>> 8) & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new DataFormatException(String.format(
                    "%s: unsupported element type 0x%02X (%s) in magic number 0x%08X: only"
                            + " unsigned bytes (0x08) are read",
                    file, type, typeName(type), magic));
        }
        if (magic != expected) {
            throw new DataFormatException(String.format(
                    "%s: wrong magic number 0x%08X (%s): expected 0x%08X (%s)",
                    file, magic, describe(magic), expected, describe(expected)));
        }
    }

    private static String describe(int magic) {
        int rank = magic & 0xFF;
        return magic == IMAGES_MAGIC ? "unsigned-byte images [n, rows, cols]"
                : magic == LABELS_MAGIC ? "unsigned-byte labels [n]"
                : typeName((magic >>> 8) & 0xFF) + " with " + rank + " dimension"
                        + (rank == 1 ? "" : "s");
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "unknown type";
        };
    }

    private static int readInt(InputStream in, Path file, String what) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new DataFormatException(file + ": truncated: the file ends inside " + what);
        }
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }
}
