package io.vi4j.spark;

/** The names of the columns a job adds, and of the imputation methods. */
public final class Columns {
  /** {@code KL(q(t | x) ‖ p(t))}, nats. */
  public static final String KL = "kl";
  /** The per-row negative ELBO, nats. */
  public static final String NEG_ELBO = "neg_elbo";
  /** {@code −log p(x)}: IWAE with k samples (a VAE), exact (a baseline); nats. */
  public static final String NEG_LOG_PX = "neg_log_px";
  /** {@code ok}, or what is wrong with the row (its other added columns are then null). */
  public static final String STATUS = "status";
  /** The status of a row that was scored. */
  public static final String OK = "ok";
  /** Posterior means: {@code mean_0 …} (numbered columns) or one array column {@code mean}. */
  public static final String MEAN = "mean";
  /** Posterior log-variances: {@code log_variance_0 …} or one array column. */
  public static final String LOG_VARIANCE = "log_variance";
  /** The row's values with the missing ones filled (an array column). */
  public static final String IMPUTED = "imputed";
  /** Imputation by pseudo-Gibbs sampling (a VAE). */
  public static final String PSEUDO_GIBBS = "pseudo-gibbs";
  /** Imputation by Metropolis-within-Gibbs (a VAE). */
  public static final String METROPOLIS_WITHIN_GIBBS = "metropolis-within-gibbs";
  /** Imputation by the exact conditional mean (PPCA, a diagonal GMM). */
  public static final String CONDITIONAL_MEAN = "conditional-mean";
  /** The hidden column that carries each row's file name in strict mode. */
  static final String SOURCE_FILE = "_vi4j_source_file";

  private Columns() {}
}
