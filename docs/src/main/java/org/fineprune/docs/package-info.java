/** Runnable examples of the user guide; tests run them so the guide cannot go stale. */
package org.fineprune.docs;
