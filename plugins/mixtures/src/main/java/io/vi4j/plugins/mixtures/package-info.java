/**
 * Gaussian mixtures fitted by expectation–maximization, the classic density baseline the VAE is compared
 * with: the {@code gmm} baseline ({@link io.vi4j.plugins.mixtures.GaussianMixture}, configured by
 * {@link io.vi4j.plugins.mixtures.GaussianMixtureSpec}), with diagonal or full covariances.
 *
 * <p>The model is {@code p(x) = Σ_k w_k N(x; μ_k, Σ_k)} over {@code K} components. EM (Dempster, Laird
 * &amp; Rubin 1977, "Maximum likelihood from incomplete data via the EM algorithm", JRSS B 39(1)) runs
 * batched on DJL NDArrays: the E-step forms the {@code (B, K)} log joint {@code log w_k + log N(x_i; μ_k,
 * Σ_k)} for a chunk of {@code B} items and normalizes it with a log-sum-exp; the chunk's sufficient
 * statistics are added in place to running sums; the M-step turns those sums into new parameters on the
 * host. Each fit starts from k-means++ seeds (Arthur &amp; Vassilvitskii 2007, "k-means++: the
 * advantages of careful seeding", SODA) refined by a few Lloyd iterations, and the best of several
 * restarts is kept. {@link io.vi4j.plugins.mixtures.GaussianMixture#bic} gives the Bayesian information
 * criterion (Schwarz 1978, "Estimating the dimension of a model", Annals of Statistics 6(2)).
 *
 * <p>Layout: {@code GaussianMixture} is the public model and holds the fitted parameters; the
 * package-private classes each do one part of the work. {@code ExpectationMaximization} runs the restarts
 * and the EM loop; {@code KMeansInitializer} seeds each run (k-means++ and Lloyd iterations);
 * {@code SufficientStatistics} is one pass over the data on the device (E-step or hard assignment) and
 * {@code MStep} turns its sums into {@code MixtureParameters} on the host; {@code LogDensityTerms} holds
 * the device arrays of the per-component log joint; {@code Covariances} does the host linear algebra of
 * full covariances (Cholesky factors, triangular inverses, the eigenvalue floor), commons-math3 doing the
 * factorizations; {@code MixtureSampler} draws samples and {@code DiagonalConditionalMean} imputes
 * missing values. The code depends on the vi4j API and its kit, DJL's API, commons-math3 and the JDK
 * only.
 */
package io.vi4j.plugins.mixtures;
