package org.hesspec.spectral;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The saved state of a Lanczos run, enough to continue it bit for bit.
 *
 * <p>After {@code step} steps the state is the coefficients {@code alpha[0..step)}, {@code
 * beta[0..step)} and the vectors the recurrence still needs: for the plain recurrence {@code
 * q_{step-1}} and {@code q_step} (two vectors, whatever the number of steps), with full
 * reorthogonalisation the whole basis {@code q_0 .. q_step}. A finished run ({@code complete})
 * keeps no vectors for the plain recurrence and the basis {@code q_0 .. q_{m-1}} with full
 * reorthogonalisation (the Ritz vectors need it).
 *
 * <p>File format (big-endian): magic {@code "HSLANCZ1"}, the config, dimension, step, flags,
 * alpha, beta, the vectors, and a CRC-32 of everything before it, so that a damaged file is
 * detected rather than resumed.
 *
 * @param config the run's parameters; a resume must use the same
 * @param dimension the operator's dimension p
 * @param step the number of steps taken
 * @param complete whether the run has finished (requested steps reached or breakdown)
 * @param breakdown whether it finished by breakdown
 * @param alpha length {@code step}
 * @param beta length {@code step}
 * @param vectors as described above, each of length {@code dimension} (not copied)
 */
public record LanczosCheckpoint(
    LanczosConfig config,
    int dimension,
    int step,
    boolean complete,
    boolean breakdown,
    double[] alpha,
    double[] beta,
    double[][] vectors) {

  private static final long MAGIC = 0x48534C414E435A31L; // "HSLANCZ1"
  private static final int CHUNK = 1 << 20;

  public LanczosCheckpoint {
    if (alpha.length != step || beta.length != step) {
      throw new IllegalArgumentException(
          "alpha and beta must have length step = " + step + ", got " + alpha.length + ", "
              + beta.length);
    }
    for (double[] v : vectors) {
      Vectors.requireLength(v, dimension, "checkpoint vector");
    }
  }

  /**
   * Writes this checkpoint to {@code file} atomically: to a temporary file in the same folder,
   * forced to disk, then moved over {@code file}.
   */
  public void write(Path file) {
    Path absolute = file.toAbsolutePath();
    Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    try {
      Files.createDirectories(absolute.getParent());
      try (FileChannel channel =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        Writer out = new Writer(channel);
        out.putLong(MAGIC);
        out.putInt(dimension);
        out.putInt(config.steps());
        out.putInt(config.reorthogonalization().ordinal());
        out.putInt(config.startVector().ordinal());
        out.putLong(config.seed());
        out.putDouble(config.breakdownTolerance());
        out.putInt(step);
        out.putInt((complete ? 1 : 0) | (breakdown ? 2 : 0));
        out.putInt(vectors.length);
        out.putDoubles(alpha);
        out.putDoubles(beta);
        for (double[] v : vectors) {
          out.putDoubles(v);
        }
        out.finish();
        channel.force(true);
      }
      replace(temporary, absolute);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Lanczos checkpoint " + file, e);
    }
  }

  /**
   * Reads a checkpoint written by {@link #write}.
   *
   * @throws UncheckedIOException if the file cannot be read, is not a checkpoint, or its checksum
   *     does not match
   */
  public static LanczosCheckpoint read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Reader in = new Reader(channel);
      if (in.getLong() != MAGIC) {
        throw new IOException("not a hesspec Lanczos checkpoint (bad magic number)");
      }
      int dimension = in.getInt();
      int steps = in.getInt();
      Reorthogonalization reorth = Reorthogonalization.values()[in.getInt()];
      StartVector start = StartVector.values()[in.getInt()];
      long seed = in.getLong();
      double tolerance = in.getDouble();
      int step = in.getInt();
      int flags = in.getInt();
      int count = in.getInt();
      if (dimension < 1 || step < 0 || step > steps || count < 0 || count > step + 1) {
        throw new IOException("inconsistent checkpoint header");
      }
      double[] alpha = in.getDoubles(step);
      double[] beta = in.getDoubles(step);
      double[][] vectors = new double[count][];
      for (int i = 0; i < count; i++) {
        vectors[i] = in.getDoubles(dimension);
      }
      in.verifyChecksum();
      LanczosConfig config = new LanczosConfig(steps, reorth, start, seed, tolerance);
      return new LanczosCheckpoint(
          config, dimension, step, (flags & 1) != 0, (flags & 2) != 0, alpha, beta, vectors);
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(
          "cannot read Lanczos checkpoint " + file + ": " + e.getMessage(),
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  /** Buffered big-endian writer over a channel that keeps a running CRC-32. */
  private static final class Writer {
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.BIG_ENDIAN);
    private final CRC32 crc = new CRC32();

    Writer(FileChannel channel) {
      this.channel = channel;
    }

    void ensure(int bytes) throws IOException {
      if (buffer.remaining() < bytes) {
        flush();
      }
    }

    void putLong(long x) throws IOException {
      ensure(8);
      buffer.putLong(x);
    }

    void putInt(int x) throws IOException {
      ensure(4);
      buffer.putInt(x);
    }

    void putDouble(double x) throws IOException {
      ensure(8);
      buffer.putDouble(x);
    }

    void putDoubles(double[] x) throws IOException {
      int offset = 0;
      while (offset < x.length) {
        ensure(8);
        int n = Math.min(x.length - offset, buffer.remaining() / 8);
        buffer.asDoubleBuffer().put(x, offset, n);
        buffer.position(buffer.position() + 8 * n);
        offset += n;
      }
    }

    void flush() throws IOException {
      buffer.flip();
      crc.update(buffer.duplicate());
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      buffer.clear();
    }

    void finish() throws IOException {
      flush();
      buffer.putLong(crc.getValue());
      buffer.flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  /** Buffered big-endian reader over a channel that keeps a running CRC-32. */
  private static final class Reader {
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.BIG_ENDIAN);
    private final CRC32 crc = new CRC32();

    Reader(FileChannel channel) {
      this.channel = channel;
      buffer.limit(0);
    }

    /** Makes at least {@code bytes} (at most 8) bytes available. */
    private void ensure(int bytes) throws IOException {
      if (buffer.remaining() >= bytes) {
        return;
      }
      // Bytes consumed so far enter the checksum; the rest is moved to the front.
      ByteBuffer consumed = buffer.duplicate();
      consumed.limit(consumed.position());
      consumed.position(0);
      crc.update(consumed);
      buffer.compact();
      while (buffer.position() < bytes) {
        if (channel.read(buffer) < 0) {
          throw new EOFException("checkpoint file is truncated");
        }
      }
      // Fill the rest of the buffer opportunistically.
      channel.read(buffer);
      buffer.flip();
    }

    long getLong() throws IOException {
      ensure(8);
      return buffer.getLong();
    }

    int getInt() throws IOException {
      ensure(4);
      return buffer.getInt();
    }

    double getDouble() throws IOException {
      ensure(8);
      return buffer.getDouble();
    }

    double[] getDoubles(int n) throws IOException {
      double[] x = new double[n];
      int offset = 0;
      while (offset < n) {
        ensure(8);
        int k = Math.min(n - offset, buffer.remaining() / 8);
        buffer.asDoubleBuffer().get(x, offset, k);
        buffer.position(buffer.position() + 8 * k);
        offset += k;
      }
      return x;
    }

    void verifyChecksum() throws IOException {
      ensure(8);
      ByteBuffer consumed = buffer.duplicate();
      consumed.limit(consumed.position());
      consumed.position(0);
      crc.update(consumed);
      long stored = buffer.getLong();
      if (stored != crc.getValue()) {
        throw new IOException("checksum mismatch: the checkpoint file is damaged");
      }
    }
  }

  /**
   * Moves a finished, synced checkpoint file over {@code target}: atomically where the file
   * system can, so a reader finds the previous checkpoint or the new one, never a half-written one.
   */
  static void replace(Path temporary, Path target) throws IOException {
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
