package org.fineprune.reproducibility;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The append-only {@code results.jsonl} of a run folder: one {@link RunRecord} per line, at most one
 * per point, so that a resumed sweep skips the points already there.
 *
 * <p>Each {@link #append} writes and forces one whole line, so a run killed mid-write loses at most
 * that line. Such a truncated last line (one without its newline that is not a record) is left out
 * when the file is read and overwritten by the next append. Any other line that is not a record is a
 * {@link RecordFormatException} naming the file and line.
 *
 * <p>One log object should be the only writer of its file; an append refuses to write when the file
 * has changed since the log last read or wrote it. It checks and writes holding an exclusive lock on
 * the file ({@link FileChannel#lock()}, and a lock per file within this JVM, where a second channel's
 * lock would throw {@link java.nio.channels.OverlappingFileLockException}), so two writers, in one
 * process or in several, never both pass the check. Methods are safe to call from several threads.
 */
public final class ResultsLog {
    /** The name of the file in the run folder. */
    public static final String FILE_NAME = "results.jsonl";

    /** One monitor per file for the appends of this JVM: file locks are held by the whole process. */
    private static final ConcurrentMap<Path, Object> APPENDING = new ConcurrentHashMap<>();

    private final Path file;
    private final Map<String, RunRecord> byPoint = new LinkedHashMap<>();
    /** Bytes of the file that hold whole records; a truncated line after them is overwritten. */
    private long kept;
    /** Bytes in the file when this log last read or wrote it. */
    private long size;
    /** Whether the last whole record lacks its newline (written by hand, or cut just before it). */
    private boolean needsNewline;

    private ResultsLog(Path file) {
        this.file = file;
    }

    /**
     * Opens the log of {@code runDir}, creating the folder if missing, and reads the records already
     * there.
     *
     * @throws IOException if the folder cannot be created or the file read
     * @throws RecordFormatException if a line other than a truncated last one is not a record, or
     *     repeats a point
     */
    public static ResultsLog open(Path runDir) throws IOException {
        Objects.requireNonNull(runDir, "runDir");
        Files.createDirectories(runDir);
        return openFile(runDir.resolve(FILE_NAME));
    }

    /**
     * Opens the log kept in {@code file}, whatever its name, and reads the records already there; a
     * missing file holds none.
     *
     * @throws IOException if the file cannot be read
     * @throws RecordFormatException if a line other than a truncated last one is not a record, or
     *     repeats a point
     */
    public static ResultsLog openFile(Path file) throws IOException {
        ResultsLog log = new ResultsLog(Objects.requireNonNull(file, "file"));
        log.read();
        return log;
    }

    /** The log's file, which exists once a record has been appended. */
    public Path file() {
        return file;
    }

    /**
     * Whether the file ended in a truncated line when this log last read it, a record cut short by a
     * killed run that {@link #records()} leaves out; the next append overwrites it.
     */
    public synchronized boolean endsInTruncatedLine() {
        return kept < size;
    }

    /** The points recorded so far, in the order they were written. */
    public synchronized Set<String> points() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(byPoint.keySet()));
    }

    /** The records so far, in the order they were written. */
    public synchronized List<RunRecord> records() {
        return List.copyOf(byPoint.values());
    }

    /**
     * Appends {@code record} as one line and forces it to disk, first cutting off a truncated last line.
     *
     * @throws IllegalArgumentException if the log already holds the record's point
     * @throws IOException if the file cannot be written, or has changed since this log read or wrote it
     */
    public synchronized void append(RunRecord record) throws IOException {
        Objects.requireNonNull(record, "record");
        if (byPoint.containsKey(record.point())) {
            throw new IllegalArgumentException("point " + record.point() + " is already in " + file);
        }
        byte[] line = ((needsNewline ? "\n" : "") + record.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            synchronized (APPENDING.computeIfAbsent(file.toRealPath(), f -> new Object())) {
                try (FileLock lock = channel.lock()) {
                    if (channel.size() != size) {
                        throw new IOException(file + " has changed since it was read (" + size + " bytes then, "
                                + channel.size() + " now); is another run writing to the same folder?");
                    }
                    channel.truncate(kept);
                    channel.position(kept);
                    ByteBuffer buffer = ByteBuffer.wrap(line);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
            }
        }
        kept += line.length;
        size = kept;
        needsNewline = false;
        byPoint.put(record.point(), record);
    }

    private void read() throws IOException {
        byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        Map<String, Integer> lineOfPoint = new LinkedHashMap<>();
        int start = 0;
        int lineNumber = 0;
        while (start < bytes.length) {
            lineNumber++;
            int end = indexOfNewline(bytes, start);
            boolean last = end == bytes.length;
            RunRecord record;
            try {
                record = RunRecord.parse(decode(bytes, start, end));
            } catch (RecordFormatException e) {
                if (last) {
                    break; // a line cut short by a killed run: the next append overwrites it
                }
                throw new RecordFormatException(file + ", line " + lineNumber + ": " + e.getMessage(), e);
            }
            Integer earlier = lineOfPoint.putIfAbsent(record.point(), lineNumber);
            if (earlier != null) {
                throw new RecordFormatException(file + ", line " + lineNumber + ": point " + record.point()
                        + " is already on line " + earlier);
            }
            byPoint.put(record.point(), record);
            needsNewline = last;
            start = last ? end : end + 1;
        }
        kept = start;
        size = bytes.length;
    }

    private static int indexOfNewline(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }

    private static String decode(byte[] bytes, int start, int end) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            throw new RecordFormatException("not UTF-8 text", e);
        }
    }
}
