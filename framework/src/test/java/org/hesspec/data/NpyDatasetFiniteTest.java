package org.hesspec.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Non-finite features and targets are rejected by the NPY reader with the file, row and column of the first. */
class NpyDatasetFiniteTest {

  @TempDir Path tmp;

  private Path f32(String name, int[] shape, float... values) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    Path p = tmp.resolve(name);
    TestFiles.write(p, TestFiles.npy(1, "<f4", false, shape, b.array()), false);
    return p;
  }

  private Path f64(String name, int[] shape, double... values) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    Path p = tmp.resolve(name);
    TestFiles.write(p, TestFiles.npy(1, "<f8", false, shape, b.array()), false);
    return p;
  }

  private Path labels(int n) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putInt(i % 2);
    }
    Path p = tmp.resolve("y.npy");
    TestFiles.write(p, TestFiles.npy(1, "<i4", false, new int[] {n}, b.array()), false);
    return p;
  }

  @Test
  void nanInFeaturesNamesRowAndColumn() throws Exception {
    Path x = f32("x.npy", new int[] {3, 2}, 0, 1, 2, Float.NaN, 4, 5);
    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyDataset.load(x, labels(3), null, 0));
    assertEquals(x, e.file());
    assertTrue(e.getMessage().contains("row 1, column 1") && e.getMessage().contains("NaN"), e.getMessage());
  }

  @Test
  void imagesNameTheIndexWithinTheExample() throws Exception {
    float[] v = new float[2 * 2 * 3];
    v[6 + 5] = Float.POSITIVE_INFINITY; // example 1, flat 5 = [1, 2] of a 2x3 example
    Path x = f32("img.npy", new int[] {2, 2, 3}, v);
    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyDataset.load(x, labels(2), null, 0));
    assertTrue(e.getMessage().contains("row 1, column 5 (index [1, 2] of the example)"), e.getMessage());
  }

  @Test
  void float64BeyondFloat32IsReportedAsOverflow() throws Exception {
    Path x = f64("x64.npy", new int[] {2, 2}, 0, 1, -1e39, 3);
    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyDataset.load(x, labels(2), null, 0));
    assertTrue(e.getMessage().contains("row 1, column 0") && e.getMessage().contains("-1.0E39")
        && e.getMessage().contains("overflows float32"), e.getMessage());
  }

  @Test
  void nanInTargetsNamesTheTargetsFile() throws Exception {
    Path x = f32("x.npy", new int[] {2, 1}, 0, 1);
    Path t = f32("t.npy", new int[] {2, 2}, 0, 1, 2, Float.NaN);
    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyDataset.load(x, null, t, 0));
    assertEquals(t, e.file());
    assertTrue(e.getMessage().contains("targets") && e.getMessage().contains("row 1, column 1"), e.getMessage());
  }

  @Test
  void finiteDataLoads() throws Exception {
    Dataset d = NpyDataset.load(f32("ok.npy", new int[] {2, 2}, 0, 1, 2, 3), labels(2), null, 0);
    assertEquals(2, d.size());
  }
}
