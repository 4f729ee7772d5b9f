package io.vi4j.core.config;

import io.vi4j.api.kit.spec.Checks;

import io.vi4j.api.plugin.LikelihoodSpec;
import io.vi4j.api.plugin.PriorSpec;
import io.vi4j.api.plugin.VariationalFamilySpec;
import java.util.Objects;

/**
 * The parts of a latent-variable model.
 *
 * @param latentDim {@code L}
 * @param prior {@code p(t)}, by {@code type}
 * @param encoder {@code q(t | x)}, by {@code type}
 * @param decoder {@code p(x | t)}, by {@code type}
 */
public record ModelSpec(
    Integer latentDim, PriorSpec prior, VariationalFamilySpec encoder, LikelihoodSpec decoder) {

  /** Fills defaults and checks that every part is given. */
  public ModelSpec {
    latentDim = Checks.atLeast("latent_dim", latentDim, 2, 1);
    Objects.requireNonNull(prior, "prior is required (a section with a 'type')");
    Objects.requireNonNull(encoder, "encoder is required (a section with a 'type')");
    Objects.requireNonNull(decoder, "decoder is required (a section with a 'type')");
  }
}
