package org.fineprune.reproducibility;

import org.fineprune.core.FinepruneException;

/** A run record or a line of {@code results.jsonl} that is not a valid record; the message says where. */
public final class RecordFormatException extends FinepruneException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names the line or file and the problem. */
    public RecordFormatException(String message) {
        super(message);
    }

    /** Creates an exception whose message names the line or file and the problem, with its cause. */
    public RecordFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
