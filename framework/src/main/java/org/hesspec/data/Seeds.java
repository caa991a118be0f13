package org.hesspec.data;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent random streams from one experiment seed.
 *
 * <p>Every random choice of this package takes its own stream, named by a purpose string such as
 * {@code "gaussian-mixture/train"}, so that adding a choice elsewhere never shifts the numbers of
 * an existing one. The derivation is a fixed function (FNV-1a of the purpose, mixed with the seed
 * by SplitMix64's finaliser), and streams are {@link java.util.Random}, whose algorithm the JDK
 * specifies exactly: the same seed gives the same data on every JVM.
 */
public final class Seeds {

  private Seeds() {}

  /** The seed of the stream named {@code purpose} under {@code seed}. */
  public static long derive(long seed, String purpose) {
    long h = 0xcbf29ce484222325L;
    for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix64(seed ^ mix64(h));
  }

  /** SplitMix64's finaliser: a bijection on longs that spreads every input bit over the output. */
  static long mix64(long z) {
    z += 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
