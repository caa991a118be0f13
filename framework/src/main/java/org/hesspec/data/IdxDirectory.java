package org.hesspec.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and reads the four IDX files of an MNIST-style directory.
 *
 * <p>The names are those of the original distributions: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
 * each with or without {@code .gz}; some mirrors write {@code train-images.idx3-ubyte} (a dot for
 * the second dash), which is accepted too. The first candidate that exists wins.
 */
final class IdxDirectory {

  private IdxDirectory() {}

  /** Reads one split of an MNIST-style directory with 10 classes. */
  static Dataset load(String sourceName, Path dir, Split split) {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir, "data directory not found (" + sourceName + ")");
    }
    String prefix = split == Split.TRAIN ? "train" : "t10k";
    Path images = find(dir, prefix, "images", "idx3");
    Path labels = find(dir, prefix, "labels", "idx1");
    return IdxReader.read(sourceName + "/" + split.key(), images, labels, 10);
  }

  private static Path find(Path dir, String prefix, String kind, String idx) {
    List<String> names = new ArrayList<>();
    for (String sep : new String[] {"-", "."}) {
      String base = prefix + "-" + kind + sep + idx + "-ubyte";
      names.add(base + ".gz");
      names.add(base);
    }
    for (String name : names) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new DataFormatException(dir.resolve(names.get(0)), "file not found (also tried " + String.join(", ", names.subList(1, names.size())) + " in " + dir + ")");
  }
}
