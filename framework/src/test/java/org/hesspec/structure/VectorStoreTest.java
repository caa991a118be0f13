package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory and the memory-mapped store hold, read and combine the same vectors. */
class VectorStoreTest {

  @Test
  void inMemoryAndMappedAgree(@TempDir Path tmp) {
    int p = 37;
    Random r = new Random(5);
    double[][] vs = new double[4][];
    for (int k = 0; k < vs.length; k++) {
      vs[k] = r.doubles(p, -1, 1).toArray();
    }
    double[] v = r.doubles(p, -1, 1).toArray();
    try (VectorStore memory = VectorStore.create(vs.length, p, Long.MAX_VALUE, tmp);
        VectorStore mapped = VectorStore.create(vs.length, p, 0, tmp)) {
      assertInstanceOf(VectorStore.InMemory.class, memory);
      assertInstanceOf(VectorStore.Mapped.class, mapped);
      for (VectorStore s : new VectorStore[] {memory, mapped}) {
        for (double[] x : vs) {
          s.add(x);
        }
        assertEquals(vs.length, s.size());
        assertEquals(p, s.dimension());
        assertThrows(IllegalArgumentException.class, () -> s.add(new double[p + 1]));
        for (int k = 0; k < vs.length; k++) {
          double[] out = new double[p];
          s.get(k, out);
          assertArrayEquals(vs[k], out);
          double dot = 0;
          double[] sum = v.clone();
          for (int i = 0; i < p; i++) {
            dot += vs[k][i] * v[i];
            sum[i] += 0.5 * vs[k][i];
          }
          assertEquals(dot, s.dot(k, v));
          double[] acc = v.clone();
          s.addScaled(k, 0.5, acc);
          assertArrayEquals(sum, acc);
        }
      }
    }
  }
}
