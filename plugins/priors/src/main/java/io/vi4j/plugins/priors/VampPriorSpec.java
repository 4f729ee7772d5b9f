package io.vi4j.plugins.priors;

import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.plugin.PriorSpec;

/**
 * Config of the {@code vamp} prior (Tomczak &amp; Welling 2018).
 *
 * @param pseudoInputs {@code K}, the learned pseudo-inputs (default 500, as in the paper; at least 1 and at
 *     most the training split's items)
 */
public record VampPriorSpec(Integer pseudoInputs) implements PriorSpec {

  /** Fills the default and validates. */
  public VampPriorSpec {
    pseudoInputs = Checks.atLeast("pseudo_inputs", pseudoInputs, 500, 1);
  }
}
