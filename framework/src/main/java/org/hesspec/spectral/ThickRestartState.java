package org.hesspec.spectral;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.hesspec.curvature.KrylovVectors;
import org.hesspec.model.Precision;

/**
 * Everything a thick-restart Lanczos run ({@link ThickRestartLanczos}) reads to take its next
 * step, so that a run saved at any product, in the middle of a restart cycle or not, continues
 * bit for bit.
 *
 * <p>The basis is {@code [L | Q]}: slots {@code [0, locked)} hold the locked eigenvector
 * approximations, slots {@code [locked, locked + active]} the active basis, whose first {@code
 * active} vectors have had their product taken and whose last is the next vector to multiply
 * (absent once the space is exhausted). {@code h} is the active projection {@code Q^T A Q}
 * ({@code active x active}).
 *
 * <p>File format (big-endian, {@code DataOutputStream}): magic {@code "HSTRLAN1"}, the config, the
 * dimension, the counters, the locked values and residuals, h, the vectors in the basis precision,
 * and a CRC-32 of everything before it, so that a damaged file is detected rather than resumed.
 * Written atomically (temporary file, forced, moved), as {@link LanczosCheckpoint} is.
 */
final class ThickRestartState {
  private static final long MAGIC = 0x485354524C414E31L; // "HSTRLAN1"

  /** Where a run is. */
  enum Phase {
    /** Converging the wanted pairs of the active basis. */
    SEARCH,
    /** A fresh start orthogonal to the locked pairs, looking for a pair they missed. */
    VERIFY,
    /** Finished: the locked pairs are the answer. */
    DONE
  }

  final TopEigenConfig config;
  final int dimension;
  /** The basis, in Java arrays or where the operator's products run. */
  final KrylovVectors basis;
  Phase phase = Phase.SEARCH;
  int locked;
  double[] lockedValues = new double[0];
  double[] lockedResiduals = new double[0];
  int active;
  boolean exhausted;
  double lastBeta;
  double scale;
  /** The largest |Ritz value| seen so far: the scale the tolerance is relative to. */
  double ritzNorm;
  long products;
  int restarts;
  int injections;
  double[][] h;

  /** An empty state over {@code basis}, which has at least {@link #slots} slots. */
  ThickRestartState(TopEigenConfig config, int dimension, KrylovVectors basis) {
    this.config = config;
    this.dimension = dimension;
    this.basis = basis;
    int m = capacity(config, dimension);
    this.h = new double[m][m];
  }

  /** The largest basis: M, but never more vectors than the dimension. */
  static int capacity(TopEigenConfig config, int dimension) {
    return Math.min(config.basisSize(), dimension);
  }

  /** The slots of the basis: the capacity M (at most p) and the next vector. */
  static int slots(TopEigenConfig config, int dimension) {
    return capacity(config, dimension) + 1;
  }

  /** The number of vectors held: locked, active, and the next one unless exhausted or done. */
  int vectorCount() {
    if (phase == Phase.DONE) {
      return locked;
    }
    return locked + active + (exhausted ? 0 : 1);
  }

  void write(Path file) {
    Path absolute = file.toAbsolutePath();
    Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    try {
      Files.createDirectories(absolute.getParent());
      CRC32 crc = new CRC32();
      try (OutputStream raw = Files.newOutputStream(temporary);
          DataOutputStream out =
              new DataOutputStream(
                  new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 20), crc))) {
        out.writeLong(MAGIC);
        writeConfig(out);
        out.writeInt(dimension);
        out.writeInt(phase.ordinal());
        out.writeInt(locked);
        out.writeInt(active);
        out.writeBoolean(exhausted);
        out.writeDouble(lastBeta);
        out.writeDouble(scale);
        out.writeDouble(ritzNorm);
        out.writeLong(products);
        out.writeInt(restarts);
        out.writeInt(injections);
        for (int i = 0; i < locked; i++) {
          out.writeDouble(lockedValues[i]);
          out.writeDouble(lockedResiduals[i]);
        }
        for (int i = 0; i < active; i++) {
          for (int j = 0; j < active; j++) {
            out.writeDouble(h[i][j]);
          }
        }
        int count = vectorCount();
        // Slot by slot through one buffer of CHUNK entries: a resident basis's slot never becomes
        // a p-vector in Java (at VGG scale 42 slots of 112 MB would be garbage per checkpoint).
        double[] doubles = config.basisPrecision() == Precision.FLOAT64 ? new double[CHUNK] : null;
        float[] floats = doubles == null ? new float[CHUNK] : null;
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(8 * CHUNK);
        for (int i = 0; i < count; i++) {
          for (int from = 0; from < dimension; from += CHUNK) {
            int n = Math.min(CHUNK, dimension - from);
            bytes.clear();
            if (doubles != null) {
              basis.rawChunk(i, from, doubles, n);
              bytes.asDoubleBuffer().put(doubles, 0, n);
              out.write(bytes.array(), 0, 8 * n);
            } else {
              basis.rawChunk(i, from, floats, n);
              bytes.asFloatBuffer().put(floats, 0, n);
              out.write(bytes.array(), 0, 4 * n);
            }
          }
        }
        out.flush();
        // The checksum covers everything above; it is written outside the checked stream.
        new DataOutputStream(raw).writeLong(crc.getValue());
      }
      try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      LanczosCheckpoint.replace(temporary, absolute);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write top-eigen checkpoint " + file, e);
    }
  }

  /**
   * Reads a state written by {@link #write} for the same config and dimension into {@code basis}.
   *
   * @throws IllegalArgumentException if it was written for another config or dimension
   * @throws UncheckedIOException if the file cannot be read or is damaged
   */
  static ThickRestartState read(Path file, TopEigenConfig config, KrylovVectors basis) {
    int dimension = basis.dimension();
    CRC32 crc = new CRC32();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
      DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
      if (in.readLong() != MAGIC) {
        throw new IOException("not a hesspec top-eigen checkpoint (bad magic number)");
      }
      TopEigenConfig saved = readConfig(in, config);
      int savedDimension = in.readInt();
      if (!saved.equals(config) || savedDimension != dimension) {
        throw new IllegalArgumentException(
            "checkpoint " + file + " was written for " + saved + " in dimension " + savedDimension
                + ", not for " + config + " in dimension " + dimension);
      }
      ThickRestartState s = new ThickRestartState(config, dimension, basis);
      s.phase = Phase.values()[in.readInt()];
      s.locked = in.readInt();
      s.active = in.readInt();
      int m = capacity(config, dimension);
      if (s.locked < 0 || s.active < 0 || s.locked + s.active > m) {
        throw new IOException("inconsistent checkpoint header");
      }
      s.exhausted = in.readBoolean();
      s.lastBeta = in.readDouble();
      s.scale = in.readDouble();
      s.ritzNorm = in.readDouble();
      s.products = in.readLong();
      s.restarts = in.readInt();
      s.injections = in.readInt();
      s.lockedValues = new double[s.locked];
      s.lockedResiduals = new double[s.locked];
      for (int i = 0; i < s.locked; i++) {
        s.lockedValues[i] = in.readDouble();
        s.lockedResiduals[i] = in.readDouble();
      }
      for (int i = 0; i < s.active; i++) {
        for (int j = 0; j < s.active; j++) {
          s.h[i][j] = in.readDouble();
        }
      }
      int count = s.vectorCount();
      for (int i = 0; i < count; i++) {
        if (config.basisPrecision() == Precision.FLOAT64) {
          s.basis.setRaw(i, readDoubles(in, dimension));
        } else {
          s.basis.setRaw(i, readFloats(in, dimension));
        }
      }
      long expected = crc.getValue();
      long stored = new DataInputStream(raw).readLong();
      if (stored != expected) {
        throw new IOException("checksum mismatch: the checkpoint file is damaged");
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read top-eigen checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /** Entries per chunk of the bulk vector I/O: whole arrays go through the checksum at once. */
  private static final int CHUNK = 1 << 20;



  private static double[] readDoubles(DataInputStream in, int length) throws IOException {
    double[] v = new double[length];
    byte[] bytes = new byte[8 * CHUNK];
    for (int from = 0; from < length; from += CHUNK) {
      int n = Math.min(CHUNK, length - from);
      in.readFully(bytes, 0, 8 * n);
      java.nio.ByteBuffer.wrap(bytes, 0, 8 * n).asDoubleBuffer().get(v, from, n);
    }
    return v;
  }

  private static float[] readFloats(DataInputStream in, int length) throws IOException {
    float[] v = new float[length];
    byte[] bytes = new byte[4 * CHUNK];
    for (int from = 0; from < length; from += CHUNK) {
      int n = Math.min(CHUNK, length - from);
      in.readFully(bytes, 0, 4 * n);
      java.nio.ByteBuffer.wrap(bytes, 0, 4 * n).asFloatBuffer().get(v, from, n);
    }
    return v;
  }

  private void writeConfig(DataOutputStream out) throws IOException {
    out.writeInt(config.k());
    out.writeInt(config.basisSize());
    out.writeInt(config.which().ordinal());
    out.writeInt(config.startVector().ordinal());
    out.writeLong(config.seed());
    out.writeDouble(config.tolerance());
    out.writeInt(config.maxProducts());
    out.writeInt(config.basisPrecision().ordinal());
  }

  /**
   * The iteration's part of the saved config; how residuals are reported and whether vectors are
   * kept do not change the iteration, so they are taken from {@code current}.
   */
  private static TopEigenConfig readConfig(DataInputStream in, TopEigenConfig current)
      throws IOException {
    int k = in.readInt();
    int m = in.readInt();
    TopEigenConfig.Which which = TopEigenConfig.Which.values()[in.readInt()];
    StartVector start = StartVector.values()[in.readInt()];
    long seed = in.readLong();
    double tolerance = in.readDouble();
    int maxProducts = in.readInt();
    Precision precision = Precision.values()[in.readInt()];
    try {
      return new TopEigenConfig(
          k, m, which, start, seed, tolerance, maxProducts, current.residuals(),
          current.keepVectors(), precision);
    } catch (IllegalArgumentException e) {
      throw new IOException("inconsistent checkpoint config: " + e.getMessage(), e);
    }
  }
}
