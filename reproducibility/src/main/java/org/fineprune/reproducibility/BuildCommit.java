package org.fineprune.reproducibility;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The git commit Fineprune was built from, as {@code git-commit-id-maven-plugin} wrote it into the
 * {@code git.properties} resource at build time; never the repository of the folder a run starts in.
 *
 * @param id the commit, in lower-case hex
 * @param dirty whether the build had uncommitted changes, or {@code null} when unknown
 */
record BuildCommit(String id, Boolean dirty) {
    /** The resource, beside this class, that the build writes. */
    static final String RESOURCE = "git.properties";

    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");

    /** The commit of this build; empty when it was built without git (a source archive, say). */
    static Optional<BuildCommit> ofThisBuild() {
        try (InputStream in = BuildCommit.class.getResourceAsStream(RESOURCE)) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return of(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the resource " + RESOURCE + " of the Fineprune build", e);
        }
    }

    /** The commit that {@code properties} name; empty without a well-formed {@code git.commit.id.full}. */
    static Optional<BuildCommit> of(Properties properties) {
        String id = properties.getProperty("git.commit.id.full", "").trim();
        if (!OBJECT_ID.matcher(id).matches()) {
            return Optional.empty();
        }
        String dirty = properties.getProperty("git.dirty", "").trim();
        return Optional.of(new BuildCommit(id.toLowerCase(Locale.ROOT),
                dirty.equals("true") || dirty.equals("false") ? Boolean.valueOf(dirty) : null));
    }
}
