package org.fineprune.reproducibility;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The HEAD commit of the git work tree holding a folder, read from the repository's files without
 * running git: {@code .git/HEAD}, then the loose ref it names or {@code packed-refs}. Handles
 * {@code .git} files (linked work trees, submodules) and detached heads; a repository with no commit
 * yet, or one that keeps its refs in a reftable, gives no commit.
 */
final class GitHead {
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    private static final String SYMBOLIC = "ref: ";
    /** Symbolic refs pointing at symbolic refs; git itself gives up after 5. */
    private static final int MAX_REF_DEPTH = 5;

    private GitHead() {}

    /**
     * The commit checked out in the work tree holding {@code directory}, in lower-case hex; empty
     * outside a work tree or when the repository cannot be read.
     */
    static Optional<String> commitOf(Path directory) {
        for (Path dir = directory.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path dotGit = dir.resolve(".git");
            if (Files.exists(dotGit)) {
                try {
                    Optional<Path> gitDir = Files.isDirectory(dotGit) ? Optional.of(dotGit) : linkedGitDir(dotGit);
                    return gitDir.isPresent() ? head(gitDir.get()) : Optional.empty();
                } catch (IOException e) {
                    // A description of the run should not fail on an unreadable repository.
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The folder a {@code .git} file points to with its {@code gitdir: path} line. */
    private static Optional<Path> linkedGitDir(Path dotGitFile) throws IOException {
        String content = read(dotGitFile);
        if (!content.startsWith("gitdir: ")) {
            return Optional.empty();
        }
        return Optional.of(dotGitFile.getParent().resolve(content.substring("gitdir: ".length())).normalize());
    }

    private static Optional<String> head(Path gitDir) throws IOException {
        Path headFile = gitDir.resolve("HEAD");
        if (!Files.isRegularFile(headFile)) {
            return Optional.empty();
        }
        // A linked work tree keeps its HEAD in its own folder and shares the branches of the main one.
        Path commonFile = gitDir.resolve("commondir");
        Path commonDir = Files.isRegularFile(commonFile) ? gitDir.resolve(read(commonFile)).normalize() : gitDir;
        return resolve(read(headFile), gitDir, commonDir, 0);
    }

    private static Optional<String> resolve(String content, Path gitDir, Path commonDir, int depth)
            throws IOException {
        if (OBJECT_ID.matcher(content).matches()) {
            return Optional.of(content.toLowerCase(Locale.ROOT));
        }
        if (!content.startsWith(SYMBOLIC) || depth >= MAX_REF_DEPTH) {
            return Optional.empty();
        }
        String ref = content.substring(SYMBOLIC.length()).trim();
        if (!ref.startsWith("refs/") || ref.contains("..")) {
            return Optional.empty();
        }
        for (Path dir : new Path[] {gitDir, commonDir}) {
            Path loose = dir.resolve(ref);
            if (Files.isRegularFile(loose)) {
                return resolve(read(loose), gitDir, commonDir, depth + 1);
            }
        }
        return packed(commonDir.resolve("packed-refs"), ref);
    }

    /** The object {@code ref} names in {@code packed-refs}: lines of "id name", "#" headers, "^" peeled tags. */
    private static Optional<String> packed(Path packedRefs, String ref) throws IOException {
        if (!Files.isRegularFile(packedRefs)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(packedRefs, StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(space + 1).trim().equals(ref)
                    && OBJECT_ID.matcher(line.substring(0, space)).matches()) {
                return Optional.of(line.substring(0, space).toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
}
