package org.hesspec.data;

import static org.hesspec.data.TestFiles.doubles;
import static org.hesspec.data.TestFiles.floats;
import static org.hesspec.data.TestFiles.ints;
import static org.hesspec.data.TestFiles.longs;
import static org.hesspec.data.TestFiles.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {

  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

  @TempDir Path dir;

  private Path file(String name, byte[] content) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, content);
    return f;
  }

  @Test
  void version1LittleEndianFloat32() throws IOException {
    Path f = file("x.npy", npy(1, "<f4", false, new int[] {2, 3}, floats(LE, 1, 2, 3, 4, 5, -6.5f)));
    NpyArray a = NpyReader.read(f);
    assertEquals(NpyArray.Dtype.FLOAT32, a.dtype());
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, a.toFloats());
  }

  @Test
  void version2BigEndianFloat64AndInts() throws IOException {
    NpyArray d = NpyReader.read(file("d.npy", npy(2, ">f8", false, new int[] {3}, doubles(BE, 0.5, -1e10, 3))));
    assertArrayEquals(new float[] {0.5f, -1e10f, 3f}, d.toFloats());
    NpyArray i = NpyReader.read(file("i.npy", npy(2, ">i4", false, new int[] {2}, ints(BE, 7, 123456))));
    assertArrayEquals(new int[] {7, 123456}, i.toInts());
    NpyArray l = NpyReader.read(file("l.npy", npy(1, "<i8", false, new int[] {2}, longs(LE, 9, 2))));
    assertArrayEquals(new int[] {9, 2}, l.toInts());
  }

  @Test
  void scalarAndEmptyShapes() throws IOException {
    NpyArray s = NpyReader.read(file("s.npy", npy(1, "<f4", false, new int[] {}, floats(LE, 42))));
    assertEquals(0, s.shape().length);
    assertEquals(1, s.count());
    NpyArray e = NpyReader.read(file("e.npy", npy(1, "<f4", false, new int[] {0, 4}, new byte[0])));
    assertEquals(0, e.count());
  }

  @Test
  void datasetFromUint8FeaturesAndLabels() throws IOException {
    Path x = file("x.npy", npy(1, "|u1", false, new int[] {3, 2, 2, 1}, new byte[] {0, 51, 102, (byte) 255, 1, 2, 3, 4, 5, 6, 7, 8}));
    Path y = file("y.npy", npy(1, "|u1", false, new int[] {3}, new byte[] {2, 0, 1}));
    Dataset d = NpyDataset.load(x, y, null, 0);
    assertArrayEquals(new int[] {2, 2, 1}, d.exampleShape());
    assertEquals(3, d.numClasses());
    assertArrayEquals(new int[] {2, 0, 1}, d.labels());
    assertEquals(0.2f, d.features()[1], 1e-7f);
    assertEquals(1f, d.features()[3], 0f);
  }

  @Test
  void datasetWithRegressionTargets() throws IOException {
    Path x = file("x.npy", npy(1, "<f8", false, new int[] {2, 3}, doubles(LE, 1, 2, 3, 4, 5, 6)));
    Path t = file("t.npy", npy(1, "<f4", false, new int[] {2, 2}, floats(LE, 0.1f, 0.2f, 0.3f, 0.4f)));
    Dataset d = NpyDataset.load(x, null, t, 0);
    assertNull(d.labels());
    assertEquals(2, d.targetWidth());
    assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, d.targets());
    assertArrayEquals(new int[] {3}, d.exampleShape());
    Path t1 = file("t1.npy", npy(1, "<f4", false, new int[] {2}, floats(LE, 5, 6)));
    assertEquals(1, NpyDataset.load(x, null, t1, 0).targetWidth());
  }

  @Test
  void fortranOrderIsRejectedClearly() throws IOException {
    Path f = file("f.npy", npy(1, "<f4", true, new int[] {2, 2}, floats(LE, 1, 2, 3, 4)));
    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.read(f));
    assertTrue(e.getMessage().contains("Fortran-ordered"), e.getMessage());
    assertTrue(e.getMessage().contains("C order"), e.getMessage());
  }

  @Test
  void unsupportedDtypes() throws IOException {
    Path f = file("h.npy", npy(1, "<f2", false, new int[] {2}, new byte[4]));
    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.read(f));
    assertTrue(e.getMessage().contains(f + ": unsupported dtype '<f2'"), e.getMessage());
    Path x = file("x.npy", npy(1, "<i4", false, new int[] {2}, ints(LE, 1, 2)));
    Path y = file("y.npy", npy(1, "<i4", false, new int[] {2}, ints(LE, 1, 2)));
    DataFormatException ex = assertThrows(DataFormatException.class, () -> NpyDataset.load(x, y, null, 0));
    assertTrue(ex.getMessage().contains("unsupported dtype int32 for features"), ex.getMessage());
    Path fy = file("fy.npy", npy(1, "<f4", false, new int[] {2}, floats(LE, 1, 0)));
    Path fx = file("fx.npy", npy(1, "<f4", false, new int[] {2}, floats(LE, 1, 0)));
    DataFormatException ey = assertThrows(DataFormatException.class, () -> NpyDataset.load(fx, fy, null, 0));
    assertTrue(ey.getMessage().contains("expected integer labels"), ey.getMessage());
  }

  @Test
  void wrongMagicShowsBytesInHex() throws IOException {
    Path f = file("bad.npy", "PK\u0003\u0004 this is a zip".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.read(f));
    assertTrue(e.getMessage().contains("found 50 4b 03 04 20 74"), e.getMessage());
  }

  @Test
  void unsupportedVersion() throws IOException {
    byte[] b = npy(1, "<f4", false, new int[] {1}, floats(LE, 1));
    b[6] = 9;
    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.read(file("v.npy", b)));
    assertTrue(e.getMessage().contains("version 9.0"), e.getMessage());
  }

  @Test
  void truncatedDataReportsByteCounts() throws IOException {
    byte[] full = npy(1, "<f4", false, new int[] {4, 2}, floats(LE, 1, 2, 3, 4, 5, 6, 7, 8));
    Path f = file("t.npy", TestFiles.head(full, full.length - 5));
    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.read(f));
    assertTrue(e.getMessage().contains("needs " + full.length + " bytes, found " + (full.length - 5)), e.getMessage());
    Path h = file("h.npy", TestFiles.head(full, 30));
    DataFormatException eh = assertThrows(DataFormatException.class, () -> NpyReader.read(h));
    assertTrue(eh.getMessage().contains("truncated header"), eh.getMessage());
  }

  @Test
  void countMismatchAndBadLabels() throws IOException {
    Path x = file("x.npy", npy(1, "<f4", false, new int[] {3, 1}, floats(LE, 1, 2, 3)));
    Path y2 = file("y2.npy", npy(1, "<i8", false, new int[] {2}, longs(LE, 0, 1)));
    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyDataset.load(x, y2, null, 0));
    assertTrue(e.getMessage().contains("count mismatch: 2 labels"), e.getMessage());
    assertTrue(e.getMessage().contains("holds 3 examples"), e.getMessage());
    Path yn = file("yn.npy", npy(1, "<i4", false, new int[] {3}, ints(LE, 0, -1, 1)));
    DataFormatException en = assertThrows(DataFormatException.class, () -> NpyDataset.load(x, yn, null, 0));
    assertTrue(en.getMessage().contains("label -1 of example 1 is negative"), en.getMessage());
    Path yr = file("yr.npy", npy(1, "<i4", false, new int[] {3}, ints(LE, 0, 5, 1)));
    DataFormatException er = assertThrows(DataFormatException.class, () -> NpyDataset.load(x, yr, null, 3));
    assertTrue(er.getMessage().contains("label 5 of example 1 is outside [0, 3)"), er.getMessage());
    assertEquals(6, NpyDataset.load(x, yr, null, 0).numClasses());
    Path y2d = file("y2d.npy", npy(1, "<i4", false, new int[] {3, 2}, ints(LE, 0, 1, 0, 1, 0, 1)));
    DataFormatException e2 = assertThrows(DataFormatException.class, () -> NpyDataset.load(x, y2d, null, 0));
    assertTrue(e2.getMessage().contains("shape [n] or [n, 1]"), e2.getMessage());
  }

  @Test
  void missingFile() {
    DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.read(dir.resolve("none.npy")));
    assertTrue(e.getMessage().endsWith("none.npy: file not found"), e.getMessage());
  }
}
