/**
 * The BadNet model as a layer graph run by one DJL block, its Keras and ONNX importers, layer hooks
 * and evaluation, over DJL's engine-agnostic API.
 */
package org.fineprune.core;
