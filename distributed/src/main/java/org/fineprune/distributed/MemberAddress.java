package org.fineprune.distributed;

import java.util.Arrays;
import java.util.List;

/**
 * The address of a cluster member, {@code host[:port]}; the port defaults to {@value #DEFAULT_PORT}.
 *
 * @param host a host name or IP address
 * @param port the member's TCP port
 */
public record MemberAddress(String host, int port) {
    /** Hazelcast's usual port. */
    public static final int DEFAULT_PORT = 5701;

    /** Checks the values. */
    public MemberAddress {
        if (host == null || host.isBlank() || host.contains(",") || host.contains(" ")) {
            throw new IllegalArgumentException("member address: '" + host + "' is not a host name or IP address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("member address " + host + ": port " + port + " is not in 1..65535");
        }
    }

    /**
     * {@code host} or {@code host:port}.
     *
     * @throws IllegalArgumentException naming the text, if it is neither
     */
    public static MemberAddress parse(String text) {
        String trimmed = text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            return new MemberAddress(trimmed, DEFAULT_PORT);
        }
        try {
            return new MemberAddress(trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("member address '" + text + "': the port must be a number", e);
        }
    }

    /**
     * Each address of {@code texts}, in order.
     *
     * @throws IllegalArgumentException if there is none, or one is repeated or malformed
     */
    public static List<MemberAddress> list(String... texts) {
        List<MemberAddress> addresses = Arrays.stream(texts).map(MemberAddress::parse).toList();
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no member address given");
        }
        if (addresses.stream().distinct().count() < addresses.size()) {
            throw new IllegalArgumentException("member addresses repeat one: " + String.join(",", texts));
        }
        return addresses;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
