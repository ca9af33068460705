package org.fineprune.core;

/**
 * Root of Fineprune's domain failures: a model or data file that cannot be used as it is.
 *
 * <p>Messages name the file and say what was expected, so that the command line can print them as
 * they are. Bad arguments are {@link IllegalArgumentException}s and I/O failures {@link
 * java.io.IOException}s, as elsewhere in Java.
 */
public class FinepruneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message meant for the user. */
    public FinepruneException(String message) {
        super(message);
    }

    /** Creates an exception with a message meant for the user and the failure behind it. */
    public FinepruneException(String message, Throwable cause) {
        super(message, cause);
    }
}
