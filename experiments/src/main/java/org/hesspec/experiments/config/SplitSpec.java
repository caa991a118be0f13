package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One data split (train or test): how many examples per class to keep and, for file sources,
 * which files hold it.
 *
 * @param perClass the per-class subsample [all]
 * @param files the split's files for npy and csv; empty for the other sources
 */
public record SplitSpec(PerClass perClass, Optional<FileSet> files) {

  public SplitSpec {
    Objects.requireNonNull(perClass, "perClass");
    Objects.requireNonNull(files, "files");
  }

  /** {@code per_class}: every example, the same count for each class, or one count per class. */
  public sealed interface PerClass {

    /** Keep every example. */
    record All() implements PerClass {}

    /** Keep {@code n} examples of each class (a seeded random subsample). */
    record Uniform(int n) implements PerClass {}

    /** Keep {@code counts.get(c)} examples of class {@code c}: an imbalanced subsample. */
    record Counts(List<Integer> counts) implements PerClass {
      public Counts {
        counts = List.copyOf(counts);
      }
    }

    /** The YAML/JSON form: {@code all}, a number or a list of numbers. */
    default Object toPlain() {
      if (this instanceof Uniform u) {
        return u.n();
      }
      if (this instanceof Counts c) {
        return c.counts();
      }
      return "all";
    }
  }

  /** The files of a split. */
  public sealed interface FileSet {}

  /**
   * NPY arrays (absolute paths, checked to exist).
   *
   * @param x features {@code [n, ...]}
   * @param y integer class labels {@code [n]}, needed for cross_entropy and for per_class
   * @param t regression targets for mse (key {@code targets}, alias {@code t})
   */
  public record NpyFiles(Path x, Optional<Path> y, Optional<Path> t) implements FileSet {
    public NpyFiles {
      Objects.requireNonNull(x, "x");
      Objects.requireNonNull(y, "y");
      Objects.requireNonNull(t, "t");
    }
  }

  /**
   * A CSV table with a header row.
   *
   * @param file the table (absolute, checked to exist)
   * @param labelColumn header of the label column; every other column is a feature [label]
   */
  public record CsvFile(Path file, String labelColumn) implements FileSet {
    public CsvFile {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(labelColumn, "labelColumn");
    }
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("per_class", perClass.toPlain());
    files.ifPresent(f -> {
      if (f instanceof NpyFiles n) {
        m.put("x", n.x().toString());
        n.y().ifPresent(y -> m.put("y", y.toString()));
        n.t().ifPresent(t -> m.put("targets", t.toString()));
      } else if (f instanceof CsvFile c) {
        m.put("file", c.file().toString());
        m.put("label_column", c.labelColumn());
      }
    });
    return m;
  }
}
