package io.vi4j.plugins.estimators;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/**
 * Registers {@code reparameterization}, {@code path-derivative}, {@code iwae}, {@code score-function} and
 * {@code autoencoder}.
 */
public final class EstimatorsPlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(
        ComponentKind.ESTIMATOR,
        "reparameterization",
        ComponentFactory.of(
            ReparameterizationSpec.class, (spec, c) -> new ReparameterizationEstimator(spec.samples())));
    register(
        ComponentKind.ESTIMATOR,
        "path-derivative",
        ComponentFactory.of(PathDerivativeSpec.class, (spec, c) -> new PathDerivativeEstimator(spec.samples())));
    register(
        ComponentKind.ESTIMATOR,
        "iwae",
        ComponentFactory.of(
            IwaeSpec.class, (spec, c) -> new ImportanceWeightedEstimator(spec.samples(), spec.gradient())));
    register(
        ComponentKind.ESTIMATOR,
        "autoencoder",
        ComponentFactory.of(AutoencoderSpec.class, (spec, c) -> new AutoencoderLoss()));
    register(
        ComponentKind.ESTIMATOR,
        "score-function",
        ComponentFactory.of(
            ScoreFunctionSpec.class,
            (spec, c) -> new ScoreFunctionEstimator(
                spec.samples(), spec.controlVariate(), spec.decay() == null ? 0.9 : spec.decay(), c.manager(),
                c.dataDimension(), spec.baselineHidden() == null ? java.util.List.of() : spec.baselineHidden())));
  }
}
