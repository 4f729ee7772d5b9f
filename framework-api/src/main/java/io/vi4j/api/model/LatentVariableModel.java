package io.vi4j.api.model;

import ai.djl.nn.ParameterList;
import java.util.List;
import java.util.Objects;

/**
 * An assembly of prior, likelihood and variational family: the VAE and its relatives are values of this
 * record, not subclasses.
 *
 * @param prior {@code p(t)}
 * @param encoder {@code q(t | x, φ)}
 * @param decoder {@code p(x | t, w)}
 * @param dataDimension {@code D}
 */
public record LatentVariableModel(
    Prior prior, VariationalFamily encoder, Likelihood decoder, int dataDimension) {

  /** Checks that no part is missing. */
  public LatentVariableModel {
    Objects.requireNonNull(prior, "prior");
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(decoder, "decoder");
  }

  /** @return the latent dimension {@code L}. */
  public int latentDimension() {
    return prior.latentDimension();
  }

  /** @return the parts in a fixed order (prior, encoder, decoder), for saving and loading. */
  public List<Trainable> parts() {
    return List.of(prior, encoder, decoder);
  }

  /** @return every trainable parameter of the three parts, named uniquely by part. */
  public ParameterList parameters() {
    ParameterList all = new ParameterList();
    String[] names = {"prior", "encoder", "decoder"};
    List<Trainable> parts = parts();
    for (int i = 0; i < parts.size(); i++) {
      for (var entry : parts.get(i).parameters()) {
        all.add(names[i] + "." + entry.getKey(), entry.getValue());
      }
    }
    return all;
  }
}
