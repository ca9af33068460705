package org.fineprune.cli;

import picocli.CommandLine.Option;

/**
 * {@code -v}: engine logs, and stack traces on errors. {@link FinepruneCli} adds this mixin to every
 * command, so that each command's own parse result says whether it was given.
 */
final class VerboseOption {
    /** The option's name, as the error handler looks it up. */
    static final String NAME = "-v";

    @Option(names = {NAME, "--verbose"}, description = "Log engine details and print stack traces on errors.")
    void verbose(boolean on) {
        if (on) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            // The cluster's members and submitters log through SLF4J too (they log nothing otherwise).
            System.setProperty("hazelcast.logging.type", "slf4j");
        }
    }
}
