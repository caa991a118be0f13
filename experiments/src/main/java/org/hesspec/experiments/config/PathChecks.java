package org.hesspec.experiments.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Resolves paths relative to the experiment file and checks that they exist. */
final class PathChecks {

  private final Path base;
  private final Convert convert;

  /** @param base the folder of the experiment file, absolute */
  PathChecks(Path base, Convert convert) {
    this.base = base;
    this.convert = convert;
  }

  /** The path written at {@code v}, resolved against the experiment file's folder. */
  Optional<Path> resolve(YamlValue v, String keyPath) {
    return convert.name(v, keyPath).flatMap(text -> {
      try {
        return Optional.of(base.resolve(text).normalize());
      } catch (java.nio.file.InvalidPathException e) {
        convert.errors().add(v.origin(), keyPath, "not a valid path: " + e.getReason());
        return Optional.empty();
      }
    });
  }

  /** An existing regular file. */
  Optional<Path> existingFile(YamlValue v, String keyPath) {
    Optional<Path> p = resolve(v, keyPath);
    if (p.isPresent()) {
      if (!Files.exists(p.get())) {
        convert.errors().add(v.origin(), keyPath, "file " + p.get() + " does not exist");
        return Optional.empty();
      }
      if (Files.isDirectory(p.get())) {
        convert.errors().add(v.origin(), keyPath, p.get() + " is a folder, not a file");
        return Optional.empty();
      }
    }
    return p;
  }

  /** An error unless {@code dir} is an existing folder; {@code why} explains where it came from. */
  boolean checkDirectory(Path dir, Origin origin, String keyPath, String why) {
    if (!Files.exists(dir)) {
      convert.errors().add(origin, keyPath, "folder " + dir + " does not exist" + why);
      return false;
    }
    if (!Files.isDirectory(dir)) {
      convert.errors().add(origin, keyPath, dir + " is a file, not a folder" + why);
      return false;
    }
    return true;
  }
}
