package org.hesspec.experiments.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hesspec.report.SweepColumns;

/**
 * Finished units of work of a run, kept in {@code checkpoints/<unit>/} inside the run folder so
 * that {@code hesspec run --resume} redoes none of them. A unit's rows are written as the
 * contract's tables (exact round trip of every double), then a {@code done} marker is moved
 * into place: a unit without its marker is recomputed. The final tables are assembled from the
 * units in a fixed order, so a resumed run's CSVs equal an uninterrupted run's byte for byte.
 */
public final class UnitCache {
  private final Path dir;

  UnitCache(Path runRoot) {
    this.dir = runRoot.resolve("checkpoints");
  }

  /** The rows of unit {@code key}: read back if finished earlier, else computed and stored. */
  public Rows computeIfAbsent(String key, Supplier<Rows> compute) {
    Path unit = dir.resolve(key);
    if (Files.exists(unit.resolve("done"))) {
      return read(unit);
    }
    Rows rows = compute.get();
    write(unit, rows);
    return rows;
  }

  /** A scratch folder for a unit's own checkpoints (e.g. Lanczos state), kept until the run completes. */
  public Path scratch(String key) {
    Path p = dir.resolve(key).resolve("lanczos");
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  private static Rows read(Path unit) {
    return RunReport.read(unit);
  }

  private static void write(Path unit, Rows r) {
    try {
      Path tmp = unit.resolveSibling(unit.getFileName() + ".tmp");
      deleteTree(tmp);
      Files.createDirectories(tmp);
      r.write(tmp, SweepColumns.NONE);
      Files.writeString(tmp.resolve("done"), "done\n");
      // Replace the unit folder (which may hold Lanczos scratch state) with the finished one.
      deleteTree(unit);
      Files.move(tmp, unit, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store finished unit " + unit, e);
    }
  }

  /** Removes all checkpoints (called when the run completes). */
  void clear() {
    deleteTree(dir);
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + p, e);
    }
  }
}
