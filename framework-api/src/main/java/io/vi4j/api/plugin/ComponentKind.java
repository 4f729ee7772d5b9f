package io.vi4j.api.plugin;

import io.vi4j.api.data.DataSource;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.Prior;
import io.vi4j.api.model.VariationalFamily;

/**
 * A kind of pluggable component: the spec interface a config names it by and the runtime type built.
 *
 * @param name the kind's name in messages and in the Guice binding annotation
 * @param specType the spec interface
 * @param componentType the runtime interface
 * @param <S> spec interface
 * @param <C> component interface
 */
public record ComponentKind<S extends ComponentSpec, C>(
    String name, Class<S> specType, Class<C> componentType) {

  /** Priors {@code p(t)}. */
  public static final ComponentKind<PriorSpec, Prior> PRIOR =
      new ComponentKind<>("prior", PriorSpec.class, Prior.class);

  /** Variational families (encoders) {@code q(t | x)}. */
  public static final ComponentKind<VariationalFamilySpec, VariationalFamily> VARIATIONAL_FAMILY =
      new ComponentKind<>("variational family", VariationalFamilySpec.class, VariationalFamily.class);

  /** Likelihoods (decoders) {@code p(x | t)}. */
  public static final ComponentKind<LikelihoodSpec, Likelihood> LIKELIHOOD =
      new ComponentKind<>("likelihood", LikelihoodSpec.class, Likelihood.class);

  /** Gradient estimators of the ELBO. */
  public static final ComponentKind<EstimatorSpec, GradientEstimator> ESTIMATOR =
      new ComponentKind<>("estimator", EstimatorSpec.class, GradientEstimator.class);

  /** Baseline models fitted by closed form or EM. */
  public static final ComponentKind<BaselineSpec, io.vi4j.api.density.BaselineModel> BASELINE =
      new ComponentKind<>("baseline", BaselineSpec.class, io.vi4j.api.density.BaselineModel.class);

  /** Densities trained by maximum likelihood with the trainer (autoregressive models such as MADE). */
  public static final ComponentKind<DensitySpec, io.vi4j.api.density.TrainableDensity> DENSITY =
      new ComponentKind<>("density", DensitySpec.class, io.vi4j.api.density.TrainableDensity.class);

  /** Data sources. */
  public static final ComponentKind<DataSpec, DataSource> DATA =
      new ComponentKind<>("data", DataSpec.class, DataSource.class);

  /** @return every built-in kind, in a fixed order. */
  public static java.util.List<ComponentKind<?, ?>> all() {
    return java.util.List.of(PRIOR, VARIATIONAL_FAMILY, LIKELIHOOD, ESTIMATOR, BASELINE, DENSITY, DATA);
  }
}
