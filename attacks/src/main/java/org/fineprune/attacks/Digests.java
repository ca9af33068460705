package org.fineprune.attacks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests for the stable descriptions of triggers and configurations. */
final class Digests {
    private Digests() {}

    /** SHA-256 of the UTF-8 bytes of {@code text}, in lower-case hex. */
    static String sha256(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** SHA-256 of the big-endian IEEE bits of each array in turn, in lower-case hex. */
    static String sha256(float[]... arrays) {
        MessageDigest digest = digest();
        for (float[] values : arrays) {
            ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES * values.length);
            bytes.asFloatBuffer().put(values);
            digest.update(bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
