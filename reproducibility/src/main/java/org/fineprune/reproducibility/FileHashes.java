package org.fineprune.reproducibility;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** Fingerprints of the files a run reads, so that a replay can tell whether it reads the same ones. */
public final class FileHashes {
    private static final int BUFFER_BYTES = 1 << 16;

    private FileHashes() {}

    /**
     * The SHA-256 of {@code file}'s bytes, as 64 lower-case hex digits; the file is streamed, not
     * loaded whole.
     *
     * @throws IOException naming the file if it is missing, a folder, or cannot be read
     */
    public static String sha256(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a folder, not a file to hash");
        }
        MessageDigest digest = newSha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file to hash");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
