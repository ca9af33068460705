/** Spectral Signatures (Tran, Li and Madry, NeurIPS 2018): a detector of poisoned training samples. */
package org.fineprune.defenses.spectralsignatures;
