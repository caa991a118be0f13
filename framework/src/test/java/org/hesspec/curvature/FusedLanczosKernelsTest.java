package org.hesspec.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FusedLanczosKernels} against a scalar float64 reference on random vectors, split into
 * parts whose lengths are not multiples of the SIMD lanes (1, 7, 3, 4099, ...), on 1-3 threads.
 *
 * <p>Element-wise results must be bit-identical to the reference: both compute {@code x =
 * fma(-s, u, a)}, {@code w = fma(-t, v, x)} and {@code w * r} in float32, and the vector API's
 * lanewise fma is the scalar {@link Math#fma}. Sums: each float32 lane adds at most {@value
 * FusedLanczosKernels#BLOCK} / 8 = 64 terms before its sum moves to float64 (8 lanes at least, as
 * {@link FusedLanczosKernels#worthwhile} requires), each addition rounding by at most 2^-24 of a
 * partial sum no larger than the block's sum of |terms|, and the lane reduction adds at most 4
 * more roundings: the error is below 68 * 2^-24 = 4.1e-6 of the sum of |terms|; the tests allow
 * 1e-5 of it. A wrong formula (a sign, a missed part, a range counted twice) is off by O(1).
 */
class FusedLanczosKernelsTest {
  private static final int[][] SHAPES = {{1}, {7, 1000, 3}, {4099, 16, 1, 5000, 2053}};

  @BeforeAll
  static void vectorApi() {
    org.junit.jupiter.api.Assumptions.assumeTrue(FusedRecurrence.available(), "no vector API or SIMD here");
  }

  private static List<ByteBuffer> random(int[] lengths, Random rnd) {
    List<ByteBuffer> parts = new ArrayList<>();
    for (int n : lengths) {
      ByteBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
      for (int i = 0; i < n; i++) {
        b.putFloat(4 * i, (float) rnd.nextGaussian());
      }
      parts.add(b);
    }
    return parts;
  }

  private static FusedLanczosKernels.Parts parts(int[] lengths, long seed) {
    Random rnd = new Random(seed);
    return new FusedLanczosKernels.Parts(random(lengths, rnd), random(lengths, rnd), random(lengths, rnd));
  }

  private static float[] floats(List<ByteBuffer> parts) {
    int n = 0;
    for (ByteBuffer b : parts) {
      n += b.capacity() / 4;
    }
    float[] out = new float[n];
    int k = 0;
    for (ByteBuffer b : parts) {
      for (int i = 0; i < b.capacity() / 4; i++) {
        out[k++] = b.getFloat(4 * i);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 3})
  void projectSumsXDotVAndBothNormsToFloat32Rounding(int threads) {
    for (int[] shape : SHAPES) {
      FusedLanczosKernels.Parts p = parts(shape, 11);
      float[] a = floats(p.a());
      float[] u = floats(p.u());
      float[] v = floats(p.v());
      float s = 0.37f;
      double xv = 0, xx = 0, vv = 0, absXv = 0;
      for (int i = 0; i < a.length; i++) {
        float x = Math.fma(-s, u[i], a[i]);
        xv += (double) x * v[i];
        absXv += Math.abs((double) x * v[i]);
        xx += (double) x * x;
        vv += (double) v[i] * v[i];
      }
      FusedLanczosKernels.Projection got = FusedLanczosKernels.project(p, s, threads);
      assertEquals(xv, got.t(), 1e-5 * absXv, "t");
      assertEquals(xx, got.xNormSquared(), 1e-5 * xx, "|x|^2");
      assertEquals(vv, got.vNormSquared(), 1e-5 * vv, "|v|^2");
      assertArrayEquals(a, floats(p.a()));
      assertArrayEquals(u, floats(p.u()));
      assertArrayEquals(v, floats(p.v()));
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 3})
  void updateMovesVIntoUAndWritesTheScaledResidualBitForBit(int threads) {
    for (int[] shape : SHAPES) {
      FusedLanczosKernels.Parts p = parts(shape, 12);
      float[] a = floats(p.a());
      float[] u = floats(p.u());
      float[] v = floats(p.v());
      float s = 0.37f;
      float t = -1.25f;
      float r = 0.8f;
      float[] w = new float[a.length];
      double ww = 0;
      for (int i = 0; i < a.length; i++) {
        w[i] = Math.fma(-t, v[i], Math.fma(-s, u[i], a[i])) * r;
        ww += (double) w[i] * w[i];
      }
      double got = FusedLanczosKernels.update(p, s, t, r, threads);
      assertArrayEquals(a, floats(p.a()));
      assertArrayEquals(v, floats(p.u()));
      assertArrayEquals(w, floats(p.v()));
      assertEquals(ww, got, 1e-5 * ww);
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 3})
  void scaleMultipliesVInPlace(int threads) {
    for (int[] shape : SHAPES) {
      FusedLanczosKernels.Parts p = parts(shape, 13);
      float[] u = floats(p.u());
      float[] v = floats(p.v());
      float f = 1.0625f;
      double ww = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] *= f;
        ww += (double) v[i] * v[i];
      }
      double got = FusedLanczosKernels.scale(p, f, threads);
      assertArrayEquals(v, floats(p.v()));
      assertArrayEquals(u, floats(p.u()));
      assertEquals(ww, got, 1e-5 * ww);
    }
  }

  @Test
  void sumsAreBitForBitRepeatableForAThreadCount() {
    int[] shape = SHAPES[2];
    for (int threads = 1; threads <= 3; threads++) {
      FusedLanczosKernels.Projection first = FusedLanczosKernels.project(parts(shape, 14), 0.5f, threads);
      FusedLanczosKernels.Projection again = FusedLanczosKernels.project(parts(shape, 14), 0.5f, threads);
      assertEquals(first, again); // record equality: the doubles' bits
    }
  }

  @Test
  void partsOfDifferentLengthsAreRefused() {
    Random rnd = new Random(1);
    assertThrows(IllegalArgumentException.class,
        () -> new FusedLanczosKernels.Parts(random(new int[] {3, 4}, rnd), random(new int[] {3, 4}, rnd), random(new int[] {3, 5}, rnd)));
    assertThrows(IllegalArgumentException.class,
        () -> new FusedLanczosKernels.Parts(random(new int[] {3}, rnd), random(new int[] {3, 4}, rnd), random(new int[] {3}, rnd)));
  }

  private static void assertArrayEquals(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        assertTrue(false, "element " + i + ": expected " + expected[i] + ", got " + actual[i]);
      }
    }
  }
}
