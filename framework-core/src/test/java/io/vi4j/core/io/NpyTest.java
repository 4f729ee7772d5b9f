package io.vi4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.core.testing.NpyHeaders;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

  @Test
  void floatMatricesAndIntVectorsHaveNumpysHeaderAndLittleEndianData(@TempDir Path dir) throws Exception {
    Path floats = dir.resolve("m.npy");
    Npy.writeFloats(floats, new float[] {1f, -2.5f, 3f, 4f, 5f, 6f}, 2, 3);
    assertThat(NpyHeaders.header(floats, 24))
        .startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
    byte[] bytes = Files.readAllBytes(floats);
    ByteBuffer data = ByteBuffer.wrap(bytes, bytes.length - 24, 24).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(data.getFloat()).isEqualTo(1f);
    assertThat(data.getFloat()).isEqualTo(-2.5f);
    Path ints = dir.resolve("v.npy");
    Npy.writeInts(ints, new int[] {7, 8, 9}, 3);
    assertThat(NpyHeaders.header(ints, 12))
        .startsWith("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }");
    assertThatThrownBy(() -> Npy.writeFloats(dir.resolve("x.npy"), new float[5], 2, 3))
        .hasMessageContaining("5 values do not fill the shape [2, 3]");
  }
}
