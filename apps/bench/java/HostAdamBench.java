import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import java.lang.reflect.*;
import java.nio.FloatBuffer;
/**
 * Adam's host pass (io.vi4j.core.train.HostAdam) on the reference VAE's ten parameters, one range against
 * two, with a small engine operation between steps (so that the engine's threads are awake, as in
 * training), 400 steps per round, 4 rounds alternated; milliseconds per step (docs/performance.md):
 *
 * <pre>
 * OMP_WAIT_POLICY=PASSIVE java -Dai.djl.offline=true -cp "apps/target/vi4j.jar:apps/target/lib/*" \
 *   apps/bench/java/HostAdamBench.java
 * </pre>
 */
public class HostAdamBench {
  public static void main(String[] a) throws Exception {
    Class<?> c = Class.forName("io.vi4j.core.train.HostAdam");
    Constructor<?> ctor = c.getDeclaredConstructor(int.class); ctor.setAccessible(true);
    Method view = c.getDeclaredMethod("view", NDArray.class); view.setAccessible(true);
    Method upd = c.getDeclaredMethod("update", FloatBuffer.class, FloatBuffer.class, FloatBuffer.class, FloatBuffer.class, float.class, float.class, float.class, float.class, float.class); upd.setAccessible(true);
    long[][] shapes = {{400, 784}, {400}, {20, 400}, {20}, {20, 400}, {20}, {400, 20}, {400}, {784, 400}, {784}};
    try (NDManager m = NDManager.newBaseManager()) {
      int P = shapes.length; FloatBuffer[][] b = new FloatBuffer[P][4];
      for (int i = 0; i < P; i++) for (int j = 0; j < 4; j++) b[i][j] = (FloatBuffer) view.invoke(null, m.randomUniform(0, 1, new Shape(shapes[i])));
      NDArray x = m.randomUniform(0, 1, new Shape(32, 784));
      Object one = ctor.newInstance(1), two = ctor.newInstance(2);
      for (int rep = 0; rep < 4; rep++) for (Object adam : new Object[]{one, two}) {
        long total = 0; int steps = 400;
        for (int s = 0; s < steps; s++) {
          try (NDManager sm = m.newSubManager()) { NDArray y = x.mul(2).add(1).exp(); sm.attachAll(y); } // engine work in between (OMP)
          long t = System.nanoTime();
          for (int i = 0; i < P; i++) upd.invoke(adam, b[i][0], b[i][1], b[i][2], b[i][3], .9f, .999f, 1e-3f, 1e-8f, 0f);
          total += System.nanoTime() - t;
        }
        System.out.printf("%s: %.3f ms per step%n", adam == one ? "1 range" : "2 ranges", total / 1e6 / steps);
      }
    }
  }
}
