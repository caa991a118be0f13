package org.hesspec.experiments.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hesspec.experiments.cli.Main;

/** Shared helpers of the runner tests: the tiny experiment, in-process CLI calls with captured output. */
final class RunFixtures {
  private RunFixtures() {}

  /** Copies the tiny experiment into {@code dir} (its model goes to dir/models/...). */
  static Path tinyExperiment(Path dir) {
    try (InputStream in = RunFixtures.class.getResourceAsStream("/run/tiny.yaml")) {
      Files.createDirectories(dir);
      Path f = dir.resolve("tiny.yaml");
      Files.write(f, in.readAllBytes());
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Exit status and captured standard error of an in-process {@code hesspec} call. */
  record Outcome(int status, String stderr, String stdout) {}

  static synchronized Outcome cli(String... args) {
    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int status = Main.execute(args);
      return new Outcome(status, err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
      System.setOut(oldOut);
    }
  }

  /** The run folders (complete or partial) under {@code out}. */
  static List<Path> runFolders(Path out) {
    if (!Files.exists(out)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(out, 2)) {
      return s.filter(p -> Files.isRegularFile(p.resolve("run.json"))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
