"""scikit-learn's side of apps/bench/sklearn-baselines.sh: vi4j's data, the sklearn fits, and the report.

  python3 sklearn_baselines.py env OUT                       # versions, BLAS and its threads
  python3 sklearn_baselines.py prepare OUT GMM.yaml PPCA.yaml  # vi4j's dequantized data, as .npy
  python3 sklearn_baselines.py fit OUT RUN CONFIG            # one timed fit, OUT/RUN/result.json
  python3 sklearn_baselines.py report OUT                    # per-run figures, medians, ratios

The data are exactly those vi4j fits and scores: the Fashion-MNIST IDX files divided by 255 (vi4j's
IdxReader), read back as 8-bit levels k and dequantized as (k + u)/256, u ~ U(0, 1), with u drawn by a port
of java.util.SplittableRandom seeded as vi4j's Experiment seeds its protocol stream (the fourth nextLong()
of SplittableRandom(seed); train then test each from a split() of it). Both programs then see the same
float32 values in [0, 1], so their log-likelihoods are densities on the same space, nats per image, and
no change of variables is needed; bits per dimension are (-log p(x)/D + ln 256)/ln 2 for both.
"""

import copy
import gzip
import json
import math
import os
import platform
import re
import statistics
import sys
import time

import numpy as np

D = 784
FASHION = "/usr/share/datasets/fashion-mnist"

# ---------------------------------------------------------------------------------------------------
# java.util.SplittableRandom (JDK 17), enough of it for vi4j's dequantization

M64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def _mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def _mix_gamma(z):
    z = ((z ^ (z >> 33)) * 0xFF51AFD7ED558CCD) & M64
    z = ((z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53) & M64
    z = (z ^ (z >> 33)) | 1
    return z ^ 0xAAAAAAAAAAAAAAAA if bin(z ^ (z >> 1)).count("1") < 24 else z


class SplittableRandom:
    def __init__(self, seed, gamma=GOLDEN_GAMMA):
        self.seed, self.gamma = seed & M64, gamma

    def _next_seed(self):
        self.seed = (self.seed + self.gamma) & M64
        return self.seed

    def next_long(self):
        return _mix64(self._next_seed())

    def split(self):
        return SplittableRandom(self.next_long(), _mix_gamma(self._next_seed()))

    def doubles(self, n, chunk=1 << 22):
        """The next n nextDouble() values, (mix64(seed) >>> 11) * 2^-53, vectorized."""
        out = np.empty(n, dtype=np.float64)
        gamma = np.uint64(self.gamma)
        for start in range(0, n, chunk):
            m = min(chunk, n - start)
            with np.errstate(over="ignore"):
                z = np.uint64(self.seed) + gamma * np.arange(1, m + 1, dtype=np.uint64)
                z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
                z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
                z ^= z >> np.uint64(31)
            out[start:start + m] = (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
            self.seed = (self.seed + m * self.gamma) & M64
        return out


def idx_images(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if int.from_bytes(raw[0:4], "big") != 0x00000803:
        sys.exit(f"{path}: not an IDX file of unsigned-byte images")
    n, rows, cols = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols)


def config_seed(path):
    """The master seed of a vi4j config, checking that its data are plain Fashion-MNIST (what we rebuild)."""
    text = open(path).read()
    seed = re.search(r"^seed:\s*(-?\d+)\s*$", text, re.M)
    if not seed:
        sys.exit(f"{path}: no top-level 'seed: N' line; this script rebuilds vi4j's data only for an explicit seed")
    data = re.search(r"^data:\s*(.*)$", text, re.M)
    if not data or data.group(1).strip() != "{type: fashion-mnist}":
        sys.exit(f"{path}: this script rebuilds vi4j's data only for 'data: {{type: fashion-mnist}}'")
    if re.search(r"^\s*protocol:", text, re.M) or re.search(r"^exclude_train_labels:", text, re.M):
        sys.exit(f"{path}: a protocol or label filter is set; this script assumes the defaults")
    return int(seed.group(1))


def prepare(out, gmm_yaml, ppca_yaml):
    seeds = {config_seed(gmm_yaml), config_seed(ppca_yaml)}
    if len(seeds) != 1:
        sys.exit(f"the two configs have different seeds {sorted(seeds)}; the comparison needs one data set")
    seed = seeds.pop()
    master = SplittableRandom(seed)
    for _ in range(3):  # Experiment: initSeed, shuffleSeed, noiseSeed, then protocolSeed
        master.next_long()
    protocol = SplittableRandom(master.next_long())
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    for split, name in (("train", "train-images-idx3-ubyte.gz"), ("test", "t10k-images-idx3-ubyte.gz")):
        levels = idx_images(os.path.join(FASHION, name))
        u = protocol.split().doubles(levels.size).reshape(levels.shape)
        x = ((levels + u) / 256.0).astype(np.float32)  # Protocol.dequantize: (round(255 x) + u) / 256
        np.save(os.path.join(out, "data", f"{split}.npy"), x)
        print(f"{split}: {x.shape[0]} x {x.shape[1]} dequantized (seed {seed}), mean {x.mean(dtype=np.float64):.9f}")


def environment(out):
    import scipy
    import sklearn
    from threadpoolctl import threadpool_info

    lines = [
        f"python {platform.python_version()} ({sys.executable}), numpy {np.__version__}, scipy {scipy.__version__},"
        f" scikit-learn {sklearn.__version__}"
    ]
    for pool in threadpool_info():
        lines.append(f"{pool.get('user_api')}: {pool.get('internal_api')} {pool.get('version')}"
                     f" ({pool.get('filepath')}), {pool.get('num_threads')} threads, {pool.get('architecture', '')}")
    env = {k: v for k, v in os.environ.items() if re.match(r"(OMP|OPENBLAS|MKL|BLIS|GOTO)_", k)}
    lines.append("BLAS and threading environment of the fits: "
                 + (", ".join(f"{k}={v}" for k, v in sorted(env.items())) or "none set"))
    inherited = os.environ.get("INHERITED_OPENBLAS_CORETYPE")
    if inherited:
        lines.append(f"OPENBLAS_CORETYPE={inherited} was inherited and removed from (or replaced in) the fits'"
                     " environment (apps/bench/sklearn-baselines.sh)")
    with open(os.path.join(out, "sklearn-env.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


# ---------------------------------------------------------------------------------------------------
# Fits

# name -> (model, options). GMM: vi4j's examples/gmm-fashion-mnist.yaml (K = 10, diagonal, 1 restart,
# 50 iterations, tolerance 1e-4 on the mean log-likelihood per item, covariance floor 1e-3, k-means++
# seeding). PCA: examples/ppca-fashion-mnist.yaml (q = 20). dtype: what the data are converted to before
# the timed fit.
CONFIGS = {
    "gmm-kmeans++-f64": ("gmm", dict(init_params="k-means++", dtype="float64")),
    "gmm-kmeans-f64": ("gmm", dict(init_params="kmeans", dtype="float64")),
    "pca-full-f64": ("pca", dict(svd_solver="full", dtype="float64")),
    "pca-full-f32": ("pca", dict(svd_solver="full", dtype="float32")),
    "pca-randomized-f64": ("pca", dict(svd_solver="randomized", dtype="float64")),
    "pca-randomized-f32": ("pca", dict(svd_solver="randomized", dtype="float32")),
}


def gmm_log_likelihood(gmm, x):
    """Mean log p(x) of a fitted diagonal GaussianMixture, from its parameters, independently of score()."""
    x = x.astype(np.float64)
    var = gmm.covariances_.astype(np.float64)  # (K, D)
    mu = gmm.means_.astype(np.float64)
    logw = np.log(gmm.weights_.astype(np.float64))
    joint = np.empty((x.shape[0], len(logw)))
    for k in range(len(logw)):
        joint[:, k] = logw[k] - 0.5 * (D * math.log(2 * math.pi) + np.log(var[k]).sum()
                                       + (((x - mu[k]) ** 2) / var[k]).sum(axis=1))
    top = joint.max(axis=1)
    return float(np.mean(top + np.log(np.exp(joint - top[:, None]).sum(axis=1))))


def fit(out, run, config):
    from sklearn.decomposition import PCA
    from sklearn.mixture import GaussianMixture

    model, options = CONFIGS[config]
    options = dict(options)
    dtype = options.pop("dtype")
    train = np.load(os.path.join(out, "data", "train.npy")).astype(dtype)
    test = np.load(os.path.join(out, "data", "test.npy")).astype(dtype)
    result = {"config": config, "model": model, "dtype": dtype, **options}
    if model == "gmm":
        est = GaussianMixture(n_components=10, covariance_type="diag", n_init=1, max_iter=50, tol=1e-4,
                              reg_covar=1e-3, random_state=0, **options)
    else:
        est = PCA(n_components=20, random_state=0, **options)
    start = time.perf_counter()
    est.fit(train)
    result["fit_seconds"] = time.perf_counter() - start
    result["test_log_likelihood_nats"] = float(est.score(test))
    if model == "gmm":
        result.update(iterations=int(est.n_iter_), converged=bool(est.converged_),
                      train_log_likelihood_nats=float(est.lower_bound_),
                      check_test_log_likelihood_nats=gmm_log_likelihood(est, test))
    else:
        # sklearn's variances divide by N - 1; vi4j's PPCA is the maximum-likelihood fit, which divides
        # by N. The same fitted directions with every variance scaled by (N - 1)/N are that fit.
        n = train.shape[0]
        ml = copy.deepcopy(est)
        ml.components_ = est.components_.astype(np.float64)
        ml.mean_ = est.mean_.astype(np.float64)
        ml.explained_variance_ = est.explained_variance_.astype(np.float64) * (n - 1) / n
        ml.noise_variance_ = float(est.noise_variance_) * (n - 1) / n
        result.update(noise_variance=float(est.noise_variance_),
                      train_log_likelihood_nats=float(est.score(train)),
                      ml_test_log_likelihood_nats=float(ml.score(test.astype(np.float64))),
                      ml_train_log_likelihood_nats=float(ml.score(train.astype(np.float64))))
    os.makedirs(os.path.join(out, run), exist_ok=True)
    with open(os.path.join(out, run, "result.json"), "w") as f:
        json.dump(result, f, indent=1)
    extra = f"  {result['iterations']} iterations{'' if result['converged'] else ' (not converged)'}" \
        if model == "gmm" else ""
    print(f"{run}: fit {result['fit_seconds']:.2f} s  test log p(x) {result['test_log_likelihood_nats']:.3f}{extra}")


# ---------------------------------------------------------------------------------------------------
# Report


def bits(ll):
    return (-ll / D + math.log(256)) / math.log(2)


def rel(a, b):
    return (a - b) / abs(b)


def report(out):
    runs = sorted(d for d in os.listdir(out) if re.match(r"r\d+-", d))
    vi4j, sk = {}, {}
    for run in runs:
        m = re.match(r"r(\d+)-(.*)", run)
        name = m.group(2)
        if name.startswith("vi4j-"):
            path = os.path.join(out, run, "summary.json")
            if os.path.exists(path):
                vi4j.setdefault(name, []).append(json.load(open(path)))
        else:
            path = os.path.join(out, run, "result.json")
            if os.path.exists(path):
                sk.setdefault(name, []).append(json.load(open(path)))

    def median(rows):
        return statistics.median(r["fit_seconds"] for r in rows)

    def runs_text(rows):
        return " ".join(f"{r['fit_seconds']:.2f}" for r in rows)

    print("\nfit seconds per run (the fit alone: vi4j's fit_seconds, without JVM and engine start or data"
          " loading; sklearn's estimator.fit, without imports or data loading)")
    for name, rows in sorted(vi4j.items()):
        print(f"  {name:26s} {runs_text(rows):24s} median {median(rows):7.2f} s")
    for name, rows in sorted(sk.items()):
        print(f"  sklearn {name:18s} {runs_text(rows):24s} median {median(rows):7.2f} s")

    def compare(title, ours, theirs, ours_ll, theirs_ll):
        ratio = median(theirs) / median(ours)
        d = rel(ours_ll, theirs_ll)
        print(f"  {title}: {median(ours):.2f} s vs {median(theirs):.2f} s: vi4j {ratio:.2f}x as fast;"
              f" test log p(x) {ours_ll:.3f} vs {theirs_ll:.3f} nats ({bits(ours_ll):.4f} vs"
              f" {bits(theirs_ll):.4f} bits/dim), (vi4j - sklearn)/|sklearn| = {d:+.2e}")

    print("\nvi4j against scikit-learn (medians; test log-likelihood: mean log p(x) per test image)")
    if "vi4j-gmm" in vi4j:
        g = vi4j["vi4j-gmm"]
        ours_ll = g[0]["test_log_likelihood_nats"]
        print(f"  vi4j gmm: {g[0]['iterations']} iterations, converged {g[0]['converged']}")
        for name in ("gmm-kmeans++-f64", "gmm-kmeans-f64"):
            if name in sk:
                s = sk[name][0]
                print(f"  sklearn {name}: {s['iterations']} iterations, converged {s['converged']};"
                      f" score() {s['test_log_likelihood_nats']:.6f}, from its parameters"
                      f" {s['check_test_log_likelihood_nats']:.6f} nats")
                compare(f"GMM vs sklearn {name}", g, sk[name], ours_ll, s["test_log_likelihood_nats"])
    if "vi4j-ppca" in vi4j:
        p = vi4j["vi4j-ppca"]
        ours_ll = p[0]["test_log_likelihood_nats"]
        for solver in ("full", "randomized"):
            names = [n for n in sk if n.startswith(f"pca-{solver}-")]
            if not names:
                continue
            best = min(names, key=lambda n: median(sk[n]))
            for name in sorted(names):
                mark = " (sklearn's faster dtype)" if name == best and len(names) > 1 else ""
                compare(f"PPCA vs sklearn {name}{mark}", p, sk[name], ours_ll,
                        sk[name][0]["test_log_likelihood_nats"])
        if "pca-full-f64" in sk:
            s = sk["pca-full-f64"][0]
            print(f"  check: sklearn's full-SVD fit (float64) with its variances rescaled from N - 1 to N (the"
                  f" maximum-likelihood PPCA vi4j fits): test {s['ml_test_log_likelihood_nats']:.9f} vs vi4j"
                  f" {ours_ll:.9f} (relative {rel(ours_ll, s['ml_test_log_likelihood_nats']):+.2e}); train"
                  f" {s['ml_train_log_likelihood_nats']:.9f} vs vi4j {p[0]['train_log_likelihood_nats']:.9f}"
                  f" (relative {rel(p[0]['train_log_likelihood_nats'], s['ml_train_log_likelihood_nats']):+.2e})")


def main():
    command, out = sys.argv[1], sys.argv[2]
    if command == "env":
        environment(out)
    elif command == "prepare":
        prepare(out, sys.argv[3], sys.argv[4])
    elif command == "fit":
        fit(out, sys.argv[3], sys.argv[4])
    elif command == "report":
        report(out)
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
