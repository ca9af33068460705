package org.fineprune.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.fineprune.core.AtomicFile;
import org.fineprune.core.DataFormatException;

/**
 * A folder a command writes its results to, and the one rule every command follows there: it
 * refuses files it did not write, and replaces its own only when told to ({@code --force}, or a
 * sweep resuming) or when the run that wrote them never finished.
 *
 * <p>A command knows its own files from its manifest, {@code .fineprune-<writer>.json} in the
 * folder: the files it writes, recorded before each is written, and {@code "complete": true} once
 * the last one is. Every file goes through {@link AtomicFile}, so a crash leaves whole files and a
 * manifest that says the run is unfinished.
 */
public final class OutputFolder {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The manifest's content: who wrote the files, which ones, and whether the run finished. */
    record Manifest(String writer, boolean complete, List<String> files) {}

    private final Path dir;
    private final String writer;
    private final Set<String> earlier;
    private final Set<String> written = new TreeSet<>();

    private OutputFolder(Path dir, String writer, Set<String> earlier) {
        this.dir = dir;
        this.writer = writer;
        this.earlier = earlier;
    }

    /**
     * Checks {@code dir} before any work is done; creates nothing.
     *
     * @param writer the name of what writes there ({@code prune}, {@code report}), naming the manifest
     * @param isOutput whether a file name, relative to {@code dir} with {@code /} separators, is one the
     *     writer writes
     * @param replace whether the files of an earlier finished run may be replaced
     * @throws IOException if {@code dir} is not a folder, holds a file of that name that the writer did
     *     not write, or holds a finished run's files and {@code replace} is off
     * @throws DataFormatException if the manifest is not one
     */
    public static OutputFolder claim(Path dir, String writer, Predicate<String> isOutput, boolean replace)
            throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a folder");
        }
        Path manifestFile = manifest(dir, writer);
        Manifest manifest = Files.isRegularFile(manifestFile) ? read(manifestFile)
                : new Manifest(writer, false, List.of());
        List<String> present = new ArrayList<>();
        List<String> temporary = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir, 2)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = dir.relativize(file).toString().replace(File.separatorChar, '/');
                    String target = AtomicFile.targetOf(file.getFileName().toString());
                    if (target != null) {
                        String targetName = dir.relativize(file.resolveSibling(target)).toString()
                                .replace(File.separatorChar, '/');
                        if (isOutput.test(targetName) || manifest.files().contains(targetName)
                                || file.resolveSibling(target).equals(manifestFile)) {
                            temporary.add(name);
                        }
                    } else if (isOutput.test(name) || manifest.files().contains(name)) {
                        present.add(name);
                    }
                }
            }
        }
        List<String> foreign = present.stream().filter(name -> !manifest.files().contains(name)).toList();
        if (!foreign.isEmpty()) {
            throw new IOException(dir.resolve(foreign.get(0)) + ": not written by fineprune " + writer + more(foreign)
                    + "; move it away or choose another --out");
        }
        if (!present.isEmpty() && manifest.complete() && !replace) {
            throw new IOException(dir + ": already holds results (" + present.get(0) + more(present)
                    + "); use --force to replace them or choose another --out");
        }
        for (String name : temporary) {
            Files.deleteIfExists(dir.resolve(name)); // left by a crash in the middle of a write
        }
        return new OutputFolder(dir, writer, new TreeSet<>(present));
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /**
     * Writes {@code name} (relative, {@code /}-separated) whole or not at all, creating folders as
     * needed, after recording it in the manifest.
     *
     * @return the file's path
     */
    public Path write(String name, AtomicFile.Content content) throws IOException {
        if (written.add(name)) {
            Set<String> own = new TreeSet<>(earlier);
            own.addAll(written);
            save(new Manifest(writer, false, List.copyOf(own)));
        }
        Path file = dir.resolve(name);
        Files.createDirectories(file.toAbsolutePath().getParent());
        return AtomicFile.write(file, content);
    }

    /** Writes {@code text} as UTF-8; see {@link #write(String, AtomicFile.Content)}. */
    public Path writeString(String name, CharSequence text) throws IOException {
        return write(name, file -> Files.writeString(file, text));
    }

    /** Writes {@code bytes}; see {@link #write(String, AtomicFile.Content)}. */
    public Path write(String name, byte[] bytes) throws IOException {
        return write(name, file -> Files.write(file, bytes));
    }

    /** Removes the earlier run's files this run did not write again and marks the run complete. */
    public void finish() throws IOException {
        for (String stale : earlier) {
            if (!written.contains(stale)) {
                Files.deleteIfExists(dir.resolve(stale));
            }
        }
        save(new Manifest(writer, true, List.copyOf(written)));
    }

    private void save(Manifest manifest) throws IOException {
        Files.createDirectories(dir.toAbsolutePath());
        AtomicFile.write(manifest(dir, writer), JSON.writeValueAsBytes(manifest));
    }

    private static Path manifest(Path dir, String writer) {
        return dir.resolve(".fineprune-" + writer + ".json");
    }

    private static Manifest read(Path file) throws IOException {
        try {
            Manifest manifest = JSON.readValue(file.toFile(), Manifest.class);
            if (manifest.files() == null) {
                throw new DataFormatException(file + ": a fineprune manifest lists its files");
            }
            return manifest;
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file + ": not a fineprune manifest (" + e.getOriginalMessage()
                    + "); move it away or choose another --out");
        }
    }

    private static String more(List<String> names) {
        return names.size() > 1 ? " and " + (names.size() - 1) + " more" : "";
    }
}
