package org.hesspec.model.zoo;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * How a parameter tensor is initialised, and the seeded generator of its initial values.
 *
 * <p>Values are generated in Java, not by TensorFlow's random ops, so that they depend only on
 * (seed, parameter name, shape): the same on every machine and TensorFlow version, and unchanged
 * for one layer when another layer is added or resized. Normal variates come from our own
 * Box-Muller transform over {@link SplittableRandom#nextDouble()}, whose algorithm is specified,
 * rather than from {@code nextGaussian()}, whose algorithm the JDK may change.
 *
 * @param kind the distribution
 * @param fanIn inputs feeding one output unit (kernel height x width x input channels for a conv)
 * @param fanOut outputs fed by one input unit (kernel height x width x output channels for a conv)
 */
public record Init(Kind kind, int fanIn, int fanOut) {

  /** The distributions used by the zoo. */
  public enum Kind {
    /** N(0, 2 / fanIn), He et al. 2015, for weights followed by ReLU. */
    HE_NORMAL,
    /** N(0, 2 / fanOut), He et al. 2015 in "fan-out" mode: Papyan's VGG11_bn convolutions. */
    HE_NORMAL_FAN_OUT,
    /** N(0, 0.01^2): Papyan's VGG11_bn classifier layers. */
    NORMAL_0_01,
    /** U(-a, a), a = sqrt(6 / (fanIn + fanOut)), Glorot and Bengio 2010, for tanh and linear outputs. */
    GLOROT_UNIFORM,
    /** All zeros (biases, batch-norm shifts). */
    ZEROS,
    /** All ones (batch-norm scales). */
    ONES
  }

  public static final Init ZERO = new Init(Kind.ZEROS, 0, 0);
  public static final Init ONE = new Init(Kind.ONES, 0, 0);

  public Init {
    if (kind == null) {
      throw new IllegalArgumentException("init kind is missing");
    }
    if ((kind == Kind.HE_NORMAL || kind == Kind.HE_NORMAL_FAN_OUT || kind == Kind.GLOROT_UNIFORM) && (fanIn <= 0 || fanOut <= 0)) {
      throw new IllegalArgumentException(kind + " needs positive fan-in and fan-out, got " + fanIn + ", " + fanOut);
    }
  }

  /** Initial values of a tensor named {@code name} with {@code size} elements, for the model seed {@code seed}. */
  public float[] values(String name, int size, long seed) {
    float[] v = new float[size];
    switch (kind) {
      case ZEROS -> { }
      case ONES -> java.util.Arrays.fill(v, 1f);
      case HE_NORMAL, HE_NORMAL_FAN_OUT, NORMAL_0_01 -> {
        SplittableRandom r = new SplittableRandom(streamSeed(seed, name));
        double std = switch (kind) {
          case HE_NORMAL -> Math.sqrt(2.0 / fanIn);
          case HE_NORMAL_FAN_OUT -> Math.sqrt(2.0 / fanOut);
          default -> 0.01;
        };
        for (int i = 0; i < size; i += 2) {
          // Box-Muller: two independent N(0,1) from two uniforms; 1 - u keeps log away from 0.
          double u1 = 1.0 - r.nextDouble();
          double u2 = r.nextDouble();
          double rad = Math.sqrt(-2.0 * Math.log(u1));
          v[i] = (float) (std * rad * Math.cos(2 * Math.PI * u2));
          if (i + 1 < size) {
            v[i + 1] = (float) (std * rad * Math.sin(2 * Math.PI * u2));
          }
        }
      }
      case GLOROT_UNIFORM -> {
        SplittableRandom r = new SplittableRandom(streamSeed(seed, name));
        double a = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < size; i++) {
          v[i] = (float) ((2 * r.nextDouble() - 1) * a);
        }
      }
    }
    return v;
  }

  /** A seed for one parameter's stream: the model seed mixed with a stable hash of the name. */
  static long streamSeed(long seed, String name) {
    long h = 0xcbf29ce484222325L; // FNV-1a over UTF-8 bytes: stable across JVMs, unlike identity hashes
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return mix(seed * 0x9E3779B97F4A7C15L + mix(h));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
