package org.fineprune.core.testing;

import io.jhdf.HdfFile;
import io.jhdf.checksum.ChecksumUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Crafts broken HDF5 headers from a valid file: a dataset whose header declares another dimension
 * or a huge header, or a dataset declared but never written. Patches the dataset's object header
 * in place, version 2 (as jhdf writes, with its checksum recomputed) or version 1 (as the HDF5
 * library writes by default), so that only the declared value is wrong.
 */
public final class Hdf5HeaderPatch {
    private static final int DATASPACE = 0x01;
    private static final int LAYOUT = 0x08;

    private Hdf5HeaderPatch() {}

    /** Makes the header of {@code dataset} declare {@code value} as dimension {@code index}. */
    public static void declareDimension(Path file, String dataset, int index, long value) {
        patch(file, dataset, DATASPACE, (buffer, at) -> {
            // Dataspace message: version, rank, then 8-byte dimensions from byte 8 (version 1) or 4 (2).
            int version = buffer.get(at);
            require(version == 1 || version == 2, "dataspace message version 1 or 2");
            require(index < buffer.get(at + 1), "dimension " + index + " within the rank");
            buffer.putLong(at + (version == 1 ? 8 : 4) + 8 * index, value);
        });
    }

    /**
     * Makes {@code dataset} look declared but never written, as a contiguous dataset that was
     * created and not filled: its data address becomes undefined (all bits set).
     */
    public static void declareUnwritten(Path file, String dataset) {
        patch(file, dataset, LAYOUT, (buffer, at) -> {
            // Layout message version 3, class 1 (contiguous): version, class, address, size.
            require(buffer.get(at) == 3 && buffer.get(at + 1) == 1, "a contiguous layout message version 3");
            buffer.putLong(at + 2, -1L);
        });
    }

    /**
     * Makes the version 1 object header of {@code dataset} (as the HDF5 library writes by default)
     * declare {@code size} bytes of messages: a reader that allocates what the header declares
     * runs out of memory.
     */
    public static void declareHeaderSize(Path file, String dataset, int size) {
        try {
            int header = Math.toIntExact(address(file, dataset));
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            require(buffer.get(header) == 1, "version 1 object header at " + header);
            buffer.putInt(header + 8, size);
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Changes a message's data at a position of the file's bytes. */
    @FunctionalInterface
    private interface MessageEdit {
        void apply(ByteBuffer file, int dataOffset);
    }

    private static void patch(Path file, String dataset, int messageType, MessageEdit edit) {
        try {
            int header = Math.toIntExact(address(file, dataset));
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            boolean found = Arrays.equals(Arrays.copyOfRange(bytes, header, header + 4), "OHDR".getBytes(StandardCharsets.US_ASCII))
                    ? patchVersion2(buffer, header, messageType, edit)
                    : patchVersion1(buffer, header, messageType, edit);
            require(found, "message type " + messageType + " in the header of " + dataset);
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the object header of {@code dataset} starts. */
    private static long address(Path file, String dataset) {
        try (HdfFile hdf = new HdfFile(file)) {
            return hdf.getDatasetByPath(dataset).getAddress();
        }
    }

    /** A version 2 header, as jhdf writes: signature, messages with 4-byte prefixes, checksum. */
    private static boolean patchVersion2(ByteBuffer buffer, int header, int messageType, MessageEdit edit) {
        require(buffer.get(header + 4) == 2, "a version 2 object header at " + header);
        int flags = buffer.get(header + 5);
        int sizeAt = header + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int sizeWidth = 1 << (flags & 0x03);
        long chunkSize = 0;
        for (int i = sizeWidth - 1; i >= 0; i--) {
            chunkSize = chunkSize << 8 | (buffer.get(sizeAt + i) & 0xFF);
        }
        int end = Math.toIntExact(sizeAt + sizeWidth + chunkSize);
        int prefix = 4 + ((flags & 0x04) != 0 ? 2 : 0);
        for (int at = sizeAt + sizeWidth; at + prefix <= end; at += prefix + (buffer.getShort(at + 1) & 0xFFFF)) {
            if ((buffer.get(at) & 0xFF) == messageType) {
                edit.apply(buffer, at + prefix);
                buffer.putInt(end, ChecksumUtils.checksum(Arrays.copyOfRange(buffer.array(), header, end)));
                return true;
            }
        }
        return false;
    }

    /** A version 1 header, as the HDF5 library writes by default: 16-byte prefix, 8-byte message prefixes. */
    private static boolean patchVersion1(ByteBuffer buffer, int header, int messageType, MessageEdit edit) {
        require(buffer.get(header) == 1, "a version 1 or 2 object header at " + header);
        int end = header + 16 + buffer.getInt(header + 8);
        for (int at = header + 16; at + 8 <= end; at += 8 + (buffer.getShort(at + 2) & 0xFFFF)) {
            if ((buffer.getShort(at) & 0xFFFF) == messageType) {
                edit.apply(buffer, at + 8);
                return true;
            }
        }
        return false;
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("the fixture has no " + what + "; did jhdf change how it writes?");
        }
    }
}
