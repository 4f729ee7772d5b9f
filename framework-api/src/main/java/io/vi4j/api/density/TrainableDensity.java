package io.vi4j.api.density;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.model.Support;
import io.vi4j.api.model.Trainable;

/**
 * A density model whose exact {@code log p(x)} is differentiable in its parameters, so that it is trained
 * by maximum likelihood with the same trainer as the latent-variable models (minibatches, Adam, schedules,
 * checkpoints and exact resume) and scored exactly by the same evaluator: the autoregressive models of the
 * chain rule {@code p(x) = Π_d p(x_d | x_<d)}, such as MADE (Germain et al. 2015).
 *
 * <p>{@link #logLikelihood(NDArray)} is the training loss's source: called inside a gradient collector it
 * must record the graph to every parameter. {@link #sample(int, NDManager)} may be expensive: an
 * autoregressive model makes one network pass per dimension.
 */
public interface TrainableDensity extends DensityModel, Trainable {

  /**
   * {@code log p(x)} per item, exact, differentiable in the parameters.
   *
   * @param data shape {@code (B, D)}
   * @return shape {@code (B)}, nats
   */
  @Override
  NDArray logLikelihood(NDArray data);

  /** @return what values the model is a density of, which fixes its evaluation protocol. */
  DataKind dataKind();

  /** @return the data values it can score (checked on both splits before training). */
  Support support();

  /**
   * @return the network passes one call of {@link #sample} makes, whatever the number of draws: {@code D}
   *     for an autoregressive model, which draws one dimension per pass
   */
  int samplingPasses();
}
