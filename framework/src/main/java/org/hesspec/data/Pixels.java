package org.hesspec.data;

/**
 * Pixel scaling: 8-bit intensities {@code 0..255} to floats in {@code [0, 1]} ({@code v / 255}).
 *
 * <p>Every image reader of this package (IDX, CIFAR-10, uint8 NPY) returns pixels scaled this
 * way, the convention of the reference models; standardisation, if wanted, comes after it
 * ({@link Standardizer}).
 */
public final class Pixels {

  private Pixels() {}

  /** {@code bytes[i] & 0xff} divided by 255, for every byte. */
  public static float[] toUnit(byte[] bytes) {
    return toUnit(bytes, 0, bytes.length);
  }

  /** As {@link #toUnit(byte[])} for {@code length} bytes starting at {@code offset}. */
  public static float[] toUnit(byte[] bytes, int offset, int length) {
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = (bytes[offset + i] & 0xff) / 255f;
    }
    return out;
  }
}
