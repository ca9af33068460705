/** Readers for the lab's HDF5 datasets and for face images, streamed in batches. */
package org.fineprune.data;
