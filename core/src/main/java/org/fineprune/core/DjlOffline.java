package org.fineprune.core;

/**
 * Keeps DJL from contacting anything over the network.
 *
 * <p>Before its first engine starts, DJL asks a cloud metadata address for telemetry unless offline
 * mode is on and tracking is opted out. Every entry point that touches DJL calls {@link #enforce()}
 * first.
 */
public final class DjlOffline {
    private DjlOffline() {}

    /** Sets DJL's offline mode and tracking opt-out as system properties, if not already set. */
    public static void enforce() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }
}
