package io.vi4j.spark;

import java.util.Locale;

/** What a Spark job adds to each row. */
public enum Job {
  /** {@code kl}, {@code neg_elbo}, {@code neg_log_px} (IWAE, k samples); a baseline: its exact {@code neg_log_px}. */
  SCORE,
  /** Posterior means {@code mean_0 …} and, for a diagonal Gaussian family, {@code log_variance_0 …}. */
  EMBED,
  /** The row's features with its missing values (null or NaN cells, or a mask column) filled. */
  IMPUTE;

  /** @return the job named {@code score}, {@code embed} or {@code impute}. */
  public static Job parse(String name) {
    for (Job job : values()) {
      if (job.name().toLowerCase(Locale.ROOT).equals(name)) {
        return job;
      }
    }
    throw new IllegalArgumentException("the job must be score, embed or impute, got '" + name + "'");
  }

  /** @return the lower-case name. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
