package org.fineprune.cli;

import java.util.List;
import org.fineprune.experiments.Protocol;
import picocli.CommandLine.Option;

/** The protocols a command's points run under ({@link Protocol}): {@code --protocol} and {@code --selection-share}. */
final class ProtocolOptions {
    @Option(names = "--protocol", split = ",", paramLabel = "P,...",
            description = "How the defender's clean images are used, one point per protocol: lab (default: one set for "
                    + "everything), strict (a seeded held-out part for every stopping rule and the reported validation "
                    + "accuracy) or backdoorbench (5%% of the training images, a 10%% relative drop; Fashion-MNIST only).")
    List<String> names = List.of();

    @Option(names = "--selection-share", paramLabel = "SHARE",
            description = "With --protocol strict: the share of the clean images held out (default: 0.2).")
    Double selectionShare;

    /**
     * The protocols named, the lab's when none is.
     *
     * @throws IllegalArgumentException for an unknown name, or a selection share without strict
     */
    List<Protocol> protocols() {
        return Protocol.of(names, selectionShare);
    }
}
