package io.vi4j.core.train.schedule;

import io.vi4j.core.config.KlWeightSpec;

/**
 * The KL weight β of every step: linear from {@code start} to {@code final} over the warm-up's
 * {@code warmup_epochs × stepsPerEpoch} steps, then {@code final} (KL annealing, Bowman et al. 2016;
 * warm-up, Sønderby et al. 2016; β-VAE, Higgins et al. 2017). Step {@code s} (0-based, counted over the
 * run) of a warm-up of {@code W} steps gets {@code start + (final − start)·s/W}: the first step trains at
 * {@code start}, step {@code W} and every later one at {@code final}.
 */
public final class KlWeightSchedule {
  /** β = 1 at every step: the ELBO itself. */
  public static final KlWeightSchedule ONE = new KlWeightSchedule(1.0, 1.0, 0);

  private final double start;
  private final double end;
  private final long warmupSteps;

  private KlWeightSchedule(double start, double end, long warmupSteps) {
    this.start = start;
    this.end = end;
    this.warmupSteps = warmupSteps;
  }

  /**
   * @param spec the config's {@code training.kl_weight}, or null for β = 1 throughout
   * @param stepsPerEpoch minibatches per epoch
   */
  public static KlWeightSchedule of(KlWeightSpec spec, int stepsPerEpoch) {
    if (spec == null) {
      return ONE;
    }
    long warmup = (long) spec.warmupEpochs() * stepsPerEpoch;
    return new KlWeightSchedule(warmup == 0 ? spec.finalWeight() : spec.start(), spec.finalWeight(), warmup);
  }

  /**
   * @param globalStep the step's 0-based index in the run
   * @return β for that step
   */
  public double at(long globalStep) {
    if (globalStep >= warmupSteps) {
      return end;
    }
    return start + (end - start) * ((double) globalStep / warmupSteps);
  }

  /**
   * @param estimator names the estimator
   * @return the message refusing a KL weight other than 1 for an estimator that cannot apply one
   */
  public static String unsupportedBy(String estimator) {
    return "training.kl_weight: the estimator " + estimator + " does not weight the KL term (its supportsKlWeight()"
        + " is false); remove training.kl_weight, or use an estimator that does (reparameterization,"
        + " path-derivative, score-function)";
  }

  /** @return whether β is 1 at every step (an estimator without KL weighting can train under it). */
  public boolean isConstantOne() {
    return end == 1.0 && (warmupSteps == 0 || start == 1.0);
  }
}
