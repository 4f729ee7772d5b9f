/**
 * Checkpoints of a training run: everything a killed run needs to continue exactly (parameters, Adam's
 * moments and step count, the estimator's running state, the data cursor with the epoch's shuffled order,
 * and the metrics so far), written atomically into a directory per checkpoint with a manifest of SHA-256
 * checksums. The format is documented in {@code docs/checkpoints.md}.
 */
package io.vi4j.core.checkpoint;
