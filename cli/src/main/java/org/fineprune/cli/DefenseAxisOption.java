package org.fineprune.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The defense axis as a flag, {@code --defense D,...}: the same option in {@code sweep}, where it is
 * required, and in {@code demo}, where it replaces the comparison's four defenses.
 */
final class DefenseAxisOption {
    @Option(names = "--defense", required = true, split = ",", paramLabel = "D,...",
            description = "The defense axis: defenses by name, as `bin/fineprune defenses` lists them.")
    List<String> defenses;
}
