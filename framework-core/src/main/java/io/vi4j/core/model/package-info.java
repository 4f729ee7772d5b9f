/**
 * A latent-variable model as vi4j holds it: its parts with the native memory that owns their parameters
 * ({@link io.vi4j.core.model.AssembledModel}), saved to and loaded from {@code parameters.bin} with every
 * parameter's shape and finiteness checked. Training, evaluation, diagnostics and the uses all work on
 * it; it depends on none of them.
 */
package io.vi4j.core.model;
