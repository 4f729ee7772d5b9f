package io.vi4j.apps;

import io.vi4j.core.run.RunSummary;
import java.io.PrintStream;

/** A run's figures as a few lines for people (the machine-readable file holds all of them). */
final class SummaryLines {
  private SummaryLines() {}

  /** Prints the test −ELBO, the fit time of a baseline and the test log-likelihood, those that are known. */
  static void print(RunSummary summary, PrintStream out) {
    if (summary.testNegElboNats() != null) {
      out.printf("test -ELBO %.3f nats (recon %.3f + KL %.3f)%n",
          summary.testNegElboNats(), summary.testReconNats(), summary.testKlNats());
    }
    if (summary.testReconMse() != null) {
      out.printf("test reconstruction MSE %.5f per value%n", summary.testReconMse());
    }
    if (summary.fitSeconds() != null) {
      out.printf("fitted in %.1f s (%s iterations)%n", summary.fitSeconds(), summary.iterations());
    }
    if (summary.testLogLikelihoodNats() != null) {
      out.printf("test log-likelihood %.3f nats per item%s, protocol %s%s%n",
          summary.testLogLikelihoodNats(),
          summary.iwaeK() != null ? " (IWAE k=" + summary.iwaeK() + " on " + summary.iwaeItems() + " items)" : "",
          summary.protocol(),
          summary.testBitsPerDim() != null ? String.format(", %.4f bits/dim", summary.testBitsPerDim()) : "");
    }
  }
}
