/** The BadNet model, its Keras HDF5 importer, layer hooks and evaluation, over DJL's engine-agnostic API. */
package org.fineprune.core;
