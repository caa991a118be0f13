package org.hesspec.structure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of p-length vectors, in memory or, when they do not fit, in a memory-mapped file (one
 * mapping per vector, so p up to 268 M doubles). The class-structure analysis keeps C^2 of them.
 */
public abstract sealed class VectorStore implements AutoCloseable permits VectorStore.InMemory, VectorStore.Mapped {

  /** Vector length. */
  final int p;

  private VectorStore(int p) {
    this.p = p;
  }

  /** Number of vectors stored. */
  public abstract int size();

  /** Vector length p. */
  public final int dimension() {
    return p;
  }

  /** Appends a copy of {@code v}. */
  public final void add(double[] v) {
    if (v.length != p) {
      throw new IllegalArgumentException("vector of length " + v.length + ", expected " + p);
    }
    store(v);
  }

  /** Appends a copy of {@code v}, whose length has been checked. */
  abstract void store(double[] v);

  /** Copies vector {@code k} into {@code out}. */
  public abstract void get(int k, double[] out);

  /** {@code <vector k, v>}. */
  public abstract double dot(int k, double[] v);

  /** {@code out += a * vector k}. */
  public abstract void addScaled(int k, double a, double[] out);

  @Override
  public void close() {}

  /**
   * In memory when {@code count * p * 8} bytes stay under {@code memoryBudgetBytes}, else mapped
   * into a file in {@code dir} that is deleted on close.
   */
  public static VectorStore create(int count, int p, long memoryBudgetBytes, Path dir) {
    if ((long) count * p * Double.BYTES <= memoryBudgetBytes) {
      return new InMemory(p);
    }
    return new Mapped(p, dir);
  }

  /**
   * Vectors as Java arrays. Its loops stay apart from {@link Mapped}'s: read through a {@code
   * DoubleBuffer} view, as there, {@link #addScaled} ran about 1.7 times slower.
   */
  public static final class InMemory extends VectorStore {
    private final List<double[]> vectors = new ArrayList<>();

    public InMemory(int p) {
      super(p);
    }

    @Override
    public int size() {
      return vectors.size();
    }

    @Override
    void store(double[] v) {
      vectors.add(v.clone());
    }

    @Override
    public void get(int k, double[] out) {
      System.arraycopy(vectors.get(k), 0, out, 0, p);
    }

    @Override
    public double dot(int k, double[] v) {
      double[] u = vectors.get(k);
      double s = 0;
      for (int i = 0; i < p; i++) {
        s += u[i] * v[i];
      }
      return s;
    }

    @Override
    public void addScaled(int k, double a, double[] out) {
      double[] u = vectors.get(k);
      for (int i = 0; i < p; i++) {
        out[i] += a * u[i];
      }
    }
  }

  /** Vectors in a temporary file, each mapped separately. */
  public static final class Mapped extends VectorStore {
    private final Path file;
    private final FileChannel channel;
    private final List<DoubleBuffer> vectors = new ArrayList<>();

    public Mapped(int p, Path dir) {
      super(p);
      try {
        Files.createDirectories(dir);
        this.file = Files.createTempFile(dir, "hesspec-vectors-", ".bin");
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a vector file in " + dir, e);
      }
    }

    @Override
    public int size() {
      return vectors.size();
    }

    @Override
    void store(double[] v) {
      try {
        long at = (long) vectors.size() * p * Double.BYTES;
        MappedByteBuffer mb = channel.map(FileChannel.MapMode.READ_WRITE, at, (long) p * Double.BYTES);
        DoubleBuffer db = mb.order(ByteOrder.nativeOrder()).asDoubleBuffer();
        db.put(0, v);
        vectors.add(db);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot map vector " + vectors.size() + " in " + file, e);
      }
    }

    @Override
    public void get(int k, double[] out) {
      vectors.get(k).get(0, out, 0, p);
    }

    @Override
    public double dot(int k, double[] v) {
      DoubleBuffer u = vectors.get(k);
      double s = 0;
      for (int i = 0; i < p; i++) {
        s += u.get(i) * v[i];
      }
      return s;
    }

    @Override
    public void addScaled(int k, double a, double[] out) {
      DoubleBuffer u = vectors.get(k);
      for (int i = 0; i < p; i++) {
        out[i] += a * u.get(i);
      }
    }

    @Override
    public void close() {
      vectors.clear();
      try {
        channel.close();
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
