import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
/**
 * The reference VAE's three matrix-product shapes (batch 128, 784 → 400) through DJL's PyTorch engine,
 * milliseconds per product; run with the engine's threads and the launcher's environment:
 *
 * <pre>
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "apps/target/vi4j.jar:apps/target/lib/*" \
 *   apps/bench/java/MatmulBench.java
 * </pre>
 *
 * (docs/performance.md: MKL's kernels on AMD processors; apps/bench/matmul.py is the same through
 * the Debian PyTorch.)
 */
public class MatmulBench {
  interface F { NDArray run(NDManager m); }
  static double bench(NDManager root, F f, int n) {
    for (int i = 0; i < 20; i++) try (NDManager m = root.newSubManager()) { f.run(m); }
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) try (NDManager m = root.newSubManager()) { f.run(m); }
    return (System.nanoTime() - t) / 1e6 / n;
  }
  public static void main(String[] args) {
    try (NDManager root = NDManager.newBaseManager()) {
      NDArray a = root.randomUniform(0, 1, new Shape(128, 784));
      NDArray w = root.randomUniform(0, 1, new Shape(400, 784));
      NDArray b = root.randomUniform(0, 1, new Shape(400));
      NDArray g = root.randomUniform(0, 1, new Shape(128, 400));
      System.out.println("engine " + ai.djl.engine.Engine.getInstance().getVersion() + ", LD_PRELOAD=" + System.getenv("LD_PRELOAD"));
      System.out.printf("x Wᵀ (128×784 · 784×400): %.3f ms%n", bench(root, m -> { NDArray r = a.matMul(w.transpose()); m.attachAll(r); return r;}, 300));
      System.out.printf("Gᵀ x (400×128 · 128×784): %.3f ms%n", bench(root, m -> { NDArray r = g.transpose().matMul(a); m.attachAll(r); return r;}, 300));
      System.out.printf("G W (128×400 · 400×784): %.3f ms%n", bench(root, m -> { NDArray r = g.matMul(w); m.attachAll(r); return r;}, 300));
      System.out.printf("linear (x Wᵀ + b): %.3f ms%n", bench(root, m -> { NDArray r = ai.djl.nn.core.Linear.linear(a, w, b).singletonOrThrow(); m.attachAll(r); return r;}, 300));
    }
  }
}
