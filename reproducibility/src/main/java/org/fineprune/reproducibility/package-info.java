/** Run records from which an experiment can be replayed. */
package org.fineprune.reproducibility;
