package org.fineprune.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file whole or not at all: the content goes to a temporary file in the same folder, which
 * is then renamed onto the target. A crash (even {@code kill -9}) leaves the old file or the new one,
 * never a truncated one; at worst a temporary file, which {@link #targetOf} recognises.
 *
 * <pre>{@code
 * AtomicFile.writeString(dir.resolve("table.md"), markdown);
 * AtomicFile.write(dir.resolve("model.h5"), tmp -> KerasWeightsWriter.write(tmp, layers, layout));
 * }</pre>
 */
public final class AtomicFile {
    private static final String SUFFIX = ".tmp";
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.[0-9a-f]{1,16}\\.tmp");

    /** Writes the content of a file to the path it is given, which does not exist yet. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content to {@code file}. */
        void writeTo(Path file) throws IOException;
    }

    private AtomicFile() {}

    /**
     * Writes {@code target} through a temporary file beside it and an atomic rename, replacing an
     * existing file.
     *
     * @return {@code target}
     * @throws FileSystemException naming {@code target} if the content cannot be written or moved;
     *     the target is then unchanged and the temporary file removed
     */
    public static Path write(Path target, Content content) throws IOException {
        Path temporary = temporaryFor(target);
        try {
            content.writeTo(temporary);
            move(temporary, target);
            return target;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            if (e instanceof FileSystemException named && target.toString().equals(named.getFile())) {
                throw named;
            }
            FileSystemException failed = new FileSystemException(target.toString(), null, "could not write it ("
                    + e.getMessage() + ")");
            failed.initCause(e);
            throw failed;
        }
    }

    /** Writes {@code text} as UTF-8; see {@link #write(Path, Content)}. */
    public static Path writeString(Path target, CharSequence text) throws IOException {
        return write(target, file -> Files.writeString(file, text, StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes}; see {@link #write(Path, Content)}. */
    public static Path write(Path target, byte[] bytes) throws IOException {
        return write(target, file -> Files.write(file, bytes));
    }

    /**
     * The name of the file that a temporary file of this class (left behind by a crash) was to
     * become, or {@code null} if {@code fileName} is not one. A temporary file of a temporary file
     * stands for the final target.
     */
    public static String targetOf(String fileName) {
        Matcher temporary = TEMPORARY.matcher(fileName);
        if (!temporary.matches()) {
            return null;
        }
        String target = temporary.group(1);
        String further = targetOf(target);
        return further != null ? further : target;
    }

    /** {@code .<name>.<random>.tmp} in the target's folder: the rename stays within one file system. */
    private static Path temporaryFor(Path target) {
        Path name = target.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("not a file path: " + target);
        }
        String random = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return target.resolveSibling("." + name + "." + random + SUFFIX);
    }

    private static void move(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
