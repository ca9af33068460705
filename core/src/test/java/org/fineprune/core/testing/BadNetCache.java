package org.fineprune.core.testing;

import java.nio.file.Path;

/**
 * The folder where tests keep trained Fashion-MNIST BadNets for one build, so that the module that
 * trains the default BadNet and the modules that defend it train it only once. Surefire sets the
 * system property {@code fineprune.badnet.cache} to {@code target/badnet-cache} of the top project.
 */
public final class BadNetCache {
    private BadNetCache() {}

    /** The folder, {@code target/badnet-cache} of the working directory when the property is unset. */
    public static Path dir() {
        return Path.of(System.getProperty("fineprune.badnet.cache", "target/badnet-cache")).toAbsolutePath().normalize();
    }
}
