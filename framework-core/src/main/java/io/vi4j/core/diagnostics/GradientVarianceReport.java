package io.vi4j.core.diagnostics;

/**
 * The spread of one estimator's encoder gradient over repeated draws on one fixed batch, the model held
 * fixed.
 *
 * @param draws {@code R}, independent estimates
 * @param coordinates number of encoder parameters {@code P}
 * @param totalVariance {@code Σ_j Var(g_j)}, the trace of the estimator's covariance
 * @param meanSquaredNorm {@code ‖E g‖²}, the squared norm of the mean gradient
 * @param signalToNoise {@code ‖E g‖ / sqrt(Σ_j Var(g_j))}
 * @param meanCoordinateSnr the mean over coordinates of {@code |E g_j| / sd(g_j)} (coordinates with zero
 *     variance left out)
 * @param secondsPerDraw wall time of one estimate and its backward pass
 */
public record GradientVarianceReport(
    int draws,
    long coordinates,
    double totalVariance,
    double meanSquaredNorm,
    double signalToNoise,
    double meanCoordinateSnr,
    double secondsPerDraw) {}
