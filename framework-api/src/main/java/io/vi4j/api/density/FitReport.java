package io.vi4j.api.density;

import java.util.List;

/**
 * How an exact fit went.
 *
 * @param iterations EM iterations run (0 for a closed form)
 * @param converged whether the tolerance was met (true for a closed form)
 * @param trainLogLikelihood mean {@code log p(x)} per training item at the end, nats
 * @param trace mean training {@code log p(x)} after each iteration (for EM; empty for a closed form)
 */
public record FitReport(int iterations, boolean converged, double trainLogLikelihood, List<Double> trace) {

  /** Copies the trace. */
  public FitReport {
    trace = List.copyOf(trace);
  }
}
