package org.fineprune.attacks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Architecture;
import org.fineprune.core.PreActResNet;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.WideCnn;

/**
 * The networks a Fashion-MNIST BadNet can have, by name: {@code small-cnn} ({@link SmallCnn}, the
 * project's BadNet of 16 and 32 channels), {@code wide-cnn} ({@link WideCnn}, VGG-style, 128
 * channels in its last convolution) and {@code preact-resnet} ({@link PreActResNet}, residual blocks
 * with batch normalisation).
 */
public final class FashionMnistNetworks {
    private static final Map<String, Architecture> BY_NAME = new LinkedHashMap<>();

    static {
        for (Architecture network : List.of(SmallCnn.INSTANCE, WideCnn.INSTANCE, PreActResNet.INSTANCE)) {
            BY_NAME.put(network.name(), network);
        }
    }

    /** The names, the small CNN first. */
    public static final List<String> NAMES = List.copyOf(BY_NAME.keySet());

    private FashionMnistNetworks() {}

    /**
     * The network called {@code name}.
     *
     * @throws IllegalArgumentException naming the networks there are, if there is none of that name
     */
    public static Architecture byName(String name) {
        Architecture network = BY_NAME.get(name);
        if (network == null) {
            throw new IllegalArgumentException("unknown network '" + name + "'; known: " + NAMES);
        }
        return network;
    }
}
