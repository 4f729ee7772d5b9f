package io.vi4j.plugins.mixtures;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.FitReport;
import io.vi4j.core.engine.Engines;
import io.vi4j.plugins.mixtures.GaussianMixtureSpec.Covariance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins the figures of four seeded fits: the EM trace, the fitted weights, means and covariances, exact
 * log-densities at fixed points and a few seeded samples. The expected values were recorded from the
 * single-file implementation before it was split into classes, so a refactor that changes how the host
 * linear algebra is done (commons-math3 instead of hand-written loops) must reproduce them. Doubles must
 * agree to {@value #RELATIVE} relative (absolute below 1), which allows a different rounding order in the
 * last bits but nothing a changed algorithm would produce; float32 samples to {@value #SAMPLE_RELATIVE}.
 * Iteration counts and convergence flags must agree exactly.
 *
 * <p>The cases: a diagonal and a full fit of correlated 3-D clusters (restarts, chunked passes); a full
 * fit whose third coordinate is constant (every M-step clips an eigenvalue to the floor); a full fit with
 * more components than distinct points (empty components keep their parameters).
 */
class GaussianMixturePinnedFitTest {

  static final double RELATIVE = 1e-9;
  static final double SAMPLE_RELATIVE = 1e-6;

  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = Engines.pytorch().newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** Three correlated clusters in 3-D, {@code n} items from {@code java.util.Random(seed)}. */
  static Dataset clusters(int n, long seed) {
    double[][] centres = {{0, 0, 0}, {4, -1, 2}, {-3, 3, 1}};
    double[][][] lower = {
      {{1.0, 0, 0}, {0.5, 0.8, 0}, {-0.3, 0.2, 0.6}},
      {{0.6, 0, 0}, {-0.2, 0.4, 0}, {0.1, 0.3, 0.9}},
      {{1.5, 0, 0}, {0.0, 0.5, 0}, {0.4, -0.4, 0.3}},
    };
    double[] cumulative = {0.45, 0.8, 1.0};
    Random random = new Random(seed);
    float[] values = new float[n * 3];
    for (int i = 0; i < n; i++) {
      double u = random.nextDouble();
      int k = u < cumulative[0] ? 0 : u < cumulative[1] ? 1 : 2;
      double[] e = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
      for (int r = 0; r < 3; r++) {
        double x = centres[k][r];
        for (int c = 0; c <= r; c++) {
          x += lower[k][r][c] * e[c];
        }
        values[3 * i + r] = (float) x;
      }
    }
    return new Dataset("pinned clusters", values, n, 3, null, null);
  }

  /** Two 2-D clusters with a constant third coordinate. */
  static Dataset constantThird(int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n * 3];
    for (int i = 0; i < n; i++) {
      double c = i % 2 == 0 ? -2 : 2;
      double e0 = random.nextGaussian();
      values[3 * i] = (float) (c + 0.7 * e0);
      values[3 * i + 1] = (float) (0.5 * c + 0.4 * e0 + 0.5 * random.nextGaussian());
      values[3 * i + 2] = 0.25f;
    }
    return new Dataset("constant third coordinate", values, n, 3, null, null);
  }

  /** Five distinct 3-D points, each repeated. */
  static Dataset repeated(int copies) {
    float[][] distinct = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 2}, {3, 3, 3}};
    float[] values = new float[distinct.length * copies * 3];
    for (int i = 0; i < distinct.length * copies; i++) {
      System.arraycopy(distinct[i % distinct.length], 0, values, 3 * i, 3);
    }
    return new Dataset("repeated points", values, distinct.length * copies, 3, null, null);
  }

  static final float[] POINTS = {0f, 0f, 0f, 4f, -1f, 2f, -3f, 3f, 0.25f, 1.5f, 0.5f, -0.5f, 8f, 8f, -8f};

  /** What a fit produced, flattened. */
  record Figures(
      int iterations,
      boolean converged,
      double[] trace,
      double[] weights,
      double[] means,
      double[] covariances,
      double[] logDensities,
      float[] samples) {}

  static Figures fit(Dataset data, GaussianMixtureSpec spec, long seed) {
    GaussianMixture gmm = new GaussianMixture(spec, 0);
    FitReport report = gmm.fit(data, manager, seed);
    List<Double> means = new ArrayList<>();
    for (double[] row : gmm.means()) {
      for (double v : row) {
        means.add(v);
      }
    }
    List<Double> covariances = new ArrayList<>();
    for (double[][] sigma : gmm.covariances()) {
      for (double[] row : sigma) {
        for (double v : row) {
          covariances.add(v);
        }
      }
    }
    double[] logDensities;
    float[] samples;
    try (NDManager m = manager.newSubManager()) {
      logDensities = gmm.logLikelihood(m.create(POINTS, new Shape(POINTS.length / 3, 3))).toDoubleArray();
      Engines.seed(2024);
      samples = gmm.sample(4, m).toFloatArray();
    }
    return new Figures(
        report.iterations(),
        report.converged(),
        report.trace().stream().mapToDouble(Double::doubleValue).toArray(),
        gmm.weights(),
        means.stream().mapToDouble(Double::doubleValue).toArray(),
        covariances.stream().mapToDouble(Double::doubleValue).toArray(),
        logDensities,
        samples);
  }

  static void assertPinned(Figures got, Figures expected) {
    assertThat(got.iterations()).as("iterations").isEqualTo(expected.iterations());
    assertThat(got.converged()).as("converged").isEqualTo(expected.converged());
    close("trace", got.trace(), expected.trace());
    close("weights", got.weights(), expected.weights());
    close("means", got.means(), expected.means());
    close("covariances", got.covariances(), expected.covariances());
    close("log densities", got.logDensities(), expected.logDensities());
    assertThat(got.samples()).as("samples").hasSameSizeAs(expected.samples());
    for (int i = 0; i < expected.samples().length; i++) {
      float e = expected.samples()[i];
      assertThat(Math.abs(got.samples()[i] - e))
          .as("sample value %d: %s, pinned %s", i, got.samples()[i], e)
          .isLessThanOrEqualTo((float) (SAMPLE_RELATIVE * Math.max(1, Math.abs(e))));
    }
  }

  static void close(String what, double[] got, double[] expected) {
    assertThat(got).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      assertThat(Math.abs(got[i] - e))
          .as("%s[%d]: %s, pinned %s", what, i, got[i], e)
          .isLessThanOrEqualTo(RELATIVE * Math.max(1, Math.abs(e)));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // The cases. Expected figures: recorded from the implementation of commit d6ed353.

  @Test
  void diagonalFitOfCorrelatedClusters() {
    Figures got =
        fit(clusters(1200, 101), new GaussianMixtureSpec(3, Covariance.DIAGONAL, 2, 40, 1e-10, null, 500), 7);
    assertPinned(got, DIAGONAL_CLUSTERS);
  }

  @Test
  void fullFitOfCorrelatedClusters() {
    Figures got =
        fit(clusters(1200, 102), new GaussianMixtureSpec(3, Covariance.FULL, 2, 40, 1e-10, null, 500), 8);
    assertPinned(got, FULL_CLUSTERS);
  }

  @Test
  void fullFitWithAConstantCoordinateClipsEigenvalues() {
    Figures got =
        fit(
            constantThird(600, 103),
            new GaussianMixtureSpec(2, Covariance.FULL, 1, 25, 1e-10, 1e-2, null),
            9);
    assertPinned(got, FULL_CONSTANT);
  }

  @Test
  void fullFitWithMoreComponentsThanPoints() {
    Figures got =
        fit(repeated(20), new GaussianMixtureSpec(7, Covariance.FULL, 2, 30, 1e-10, null, null), 10);
    assertPinned(got, FULL_REPEATED);
  }

  // ---------------------------------------------------------------------------------------------------
  // Recorded figures (Double.toString / Float.toString of the values the fits above produced).

  static final Figures DIAGONAL_CLUSTERS =
      new Figures(
          10,
          true,
          new double[] {
            -4.5646596345075245, -4.564327616071004, -4.56428389155036, -4.564277945834349,
            -4.564277129610582, -4.56427701719144, -4.564277001690737, -4.564276999552677,
            -4.564276999257733, -4.564276999217044
          },
          new double[] {0.20952627768410556, 0.3251950691159987, 0.46527865319989575},
          new double[] {
            -2.9972393780395605, 3.0059817319699365, 0.9530967531333839, 4.057151530008706,
            -1.0500655230915785, 1.9800770488077553, 0.03265184318028502, 0.028596585787962203,
            -0.032280626051070294
          },
          new double[] {
            2.7805563152579484, 0.0, 0.0, 0.0, 0.21685129305703654, 0.0, 0.0, 0.0, 0.41592165395713415,
            0.3567215933362622, 0.0, 0.0, 0.0, 0.22324921090846583, 0.0, 0.0, 0.0, 0.9797013691962206,
            1.0122125767559988, 0.0, 0.0, 0.0, 0.9269786582280088, 0.0, 0.0, 0.0, 0.5130393249762669
          },
          new double[] {
            -3.1583732284983945, -2.6151509320626323, -4.222262512743995, -4.553020779845565,
            -130.65820375902496
          },
          new float[] {
            4.4337883f, -1.7431316f, 1.3072556f, 3.6408424f, -0.6771144f, 1.058351f, -1.9159354f,
            -0.17089833f, -0.7871402f, 1.0919919f, 1.2824024f, -0.38040635f
          });

  static final Figures FULL_CLUSTERS =
      new Figures(
          4,
          true,
          new double[] {-4.162970129422215, -4.162969744275188, -4.162969743855327, -4.1629697438548225},
          new double[] {0.36993709549359155, 0.1957414146647493, 0.43432148984165914},
          new double[] {
            3.982812642792061, -0.9703918055158993, 2.0640064475414936, -2.8344008265132414,
            3.088753944674997, 0.9776221206786817, 0.028148719456047466, -0.04103273133566815,
            -0.03739574164603088
          },
          new double[] {
            0.35554566353882144, -0.11538182307248279, 0.038972947092072996, -0.11538182307248279,
            0.19385530784615623, 0.11025013270169626, 0.038972947092072996, 0.11025013270169626,
            0.9960119419258564, 2.3338174456906717, 0.05261484077325207, 0.6024185875017318,
            0.05261484077325207, 0.24161983753491967, -0.1802615502794822, 0.6024185875017318,
            -0.1802615502794822, 0.4093153258902299, 0.9910809779817605, 0.49472904319347455,
            -0.3038690456116713, 0.49472904319347455, 0.902560384930446, 0.012195592138797895,
            -0.3038690456116713, 0.012195592138797895, 0.515141409588407
          },
          new double[] {
            -2.895746905981626, -2.254682640857195, -5.865956923386308, -4.016072063016462,
            -103.55671142869768
          },
          new float[] {
            -1.8710339f, 2.3912268f, 1.5938714f, -3.8992414f, 3.4517865f, 0.09989242f, -1.8999913f,
            -1.171295f, -0.13867514f, 1.0763727f, 1.5366448f, -0.3952142f
          });

  static final Figures FULL_CONSTANT =
      new Figures(
          8,
          true,
          new double[] {
            -1.044122055891618, -1.0439270859037288, -1.043914141308817, -1.0439132482027067,
            -1.0439131863220381, -1.043913182030437, -1.0439131817327303, -1.043913181712077
          },
          new double[] {0.49800418161676835, 0.5019958183832317},
          new double[] {
            2.0055536059907286, 1.0413253793624178, 0.25, -1.9717043610001657, -0.9622012607507774, 0.25
          },
          new double[] {
            0.4767300312168485, 0.2798638181550225, 0.0, 0.2798638181550225, 0.36735310509936075, 0.0,
            0.0, 0.0, 0.01, 0.547709524759925, 0.32474355208566036, 0.0, 0.32474355208566036,
            0.4267386015863984, 0.0, 0.0, 0.0, 0.01
          },
          new double[] {
            -6.404455870340529, -182.68716478656782, -45.707602321548926, -28.524143985674925,
            -3469.928408121666
          },
          new float[] {
            -2.3002553f, -1.0656192f, 0.30986074f, -1.4937551f, -0.3736462f, 0.10331704f, 1.5362118f,
            0.45170262f, 0.3289327f, -2.6608803f, -2.3081079f, 0.22927965f
          });

  static final Figures FULL_REPEATED =
      new Figures(
          1,
          true,
          new double[] {5.995379406425087},
          new double[] {0.2, 0.2, 0.2, 0.2, 0.2, 1.8420352126524975E-305, 4.3577120534806076E-305},
          new double[] {
            -1.1102230246251565E-16, -1.1102230246251565E-16, 2.0, -1.1102230246251565E-16, 1.0, 0.0,
            3.0, 3.0, 3.0, -1.1102230246251565E-16, -1.1102230246251565E-16, 0.0, 1.0,
            -1.1102230246251565E-16, 0.0, 3.0, 3.0, 3.0, 1.0, 0.0, 0.0
          },
          new double[] {
            9.999999999999998E-4, 0.0, 0.0, 0.0, 9.999999999999998E-4, 0.0, 0.0, 0.0, 0.001, 0.001, 0.0,
            0.0, 0.0, 0.001, 0.0, 0.0, 0.0, 0.001, 9.999999999999998E-4, 0.0, 0.0, 0.0,
            9.999999999999998E-4, 0.0, 0.0, 0.0, 0.001, 9.999999999999998E-4, 0.0, 0.0, 0.0,
            9.999999999999998E-4, 0.0, 0.0, 0.0, 0.001, 0.001, 0.0, 0.0, 0.0, 0.001, 0.0, 0.0, 0.0,
            0.001, 1.3600000000000008, 0.0, 0.0, 0.0, 1.3600000000000008, 0.0, 0.0, 0.0, 1.6,
            1.3600000000000008, 0.0, 0.0, 0.0, 1.3600000000000008, 0.0, 0.0, 0.0, 1.6
          },
          new double[] {
            5.995379406425087, -698.8233621451657, -703.2838573068394, -369.00462059357505,
            -750.2649425632284
          },
          new float[] {
            1.009671f, -0.04298431f, -0.008439332f, 0.008493988f, 0.967263f, 0.011778413f, 2.9656487f,
            3.0027535f, 2.9861925f, -0.025130983f, 0.9782702f, -0.021587966f
          });
}
