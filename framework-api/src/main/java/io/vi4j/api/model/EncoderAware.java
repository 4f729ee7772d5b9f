package io.vi4j.api.model;

/**
 * An optional interface for a {@link Prior} defined through the model's own encoder, such as the VampPrior
 * (Tomczak &amp; Welling 2018, "VAE with a VampPrior"), {@code p(t) = (1/K) Σ_k q(t | u_k)}. A prior is built
 * before the encoder and sees only a {@link io.vi4j.api.plugin.BuildContext}; the model assembler hands a
 * prior that implements this interface the assembled encoder once, right after building it and before the
 * first use of the prior. Priors that do not implement it are unaffected.
 */
public interface EncoderAware {

  /**
   * Receives the model's variational family, once, at assembly.
   *
   * @param encoder the assembled encoder {@code q(t | x)} whose parameters the prior will use (not own: they
   *     are saved, loaded and trained as the encoder's)
   * @throws IllegalArgumentException when this prior cannot work with that family (one without an encoder)
   */
  void bindEncoder(VariationalFamily encoder);
}
