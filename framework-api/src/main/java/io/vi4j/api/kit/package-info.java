/**
 * The plugin kit: what a plugin author reuses to write a prior, an encoder, a decoder or an estimator —
 * distributions ({@code distribution}), network builders ({@code nn}), numerically careful array helpers
 * ({@code math}), the ELBO's terms ({@code elbo}), spec validation ({@code spec}) and the stages of long loops
 * ({@code progress}). It depends on DJL's
 * API only, never on an engine, so a plugin built against it runs on whichever engine the application
 * brings (the CPU or the CUDA build of PyTorch).
 */
package io.vi4j.api.kit;
