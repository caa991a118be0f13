package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.hesspec.experiments.cli.ChildJvm;
import org.hesspec.report.RunDirectory;
import org.hesspec.report.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL at several points leaves a partial folder whose run.json says
 * incomplete, and {@code hesspec run --resume} finishes it to CSVs byte-identical to an
 * uninterrupted run's (same seed, same machine).
 */
class KillAndResumeTest {

  static final List<String> TABLES = List.of("density.csv", "ritz.csv", "eigenvalues.csv", "trace.csv", "class_structure.csv",
      "summary.csv");

  @Test
  void killedRunsResumeToTheUninterruptedResult(@TempDir Path tmp) throws Exception {
    Path refExp = RunFixtures.tinyExperiment(tmp.resolve("ref"));
    RunFixtures.Outcome ref = RunFixtures.cli("run", refExp.toString(), "--out", tmp.resolve("ref-out").toString());
    assertEquals(0, ref.status(), ref.stderr());
    Path reference = RunFixtures.runFolders(tmp.resolve("ref-out")).get(0);

    // Kill points: during training (no unit done yet, model not exported), after the first finished
    // unit, in the middle of a Lanczos density run (its checkpoint exists, the unit is not done),
    // and late in the second sweep point.
    List<Predicate<Path>> killWhen = List.of(
        partial -> countDone(partial) == 0 && ageOver(partial, 1000),
        partial -> countDone(partial) >= 1,
        partial -> lanczosCheckpointWithoutDone(partial),
        partial -> countDone(partial) >= 14);
    int resumedRuns = 0;
    for (int k = 0; k < killWhen.size(); k++) {
      Path expDir = tmp.resolve("exp" + k);
      Path exp = RunFixtures.tinyExperiment(expDir);
      Path out = tmp.resolve("out" + k);
      Process p = start(exp, out);
      Path partial = waitFor(out, killWhen.get(k), p);
      p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
      p.waitFor(30, TimeUnit.SECONDS);
      if (partial == null || RunDirectory.isCompleteRun(partial)) {
        continue; // the run finished before the kill point was reached: nothing to resume here
      }
      resumedRuns++;
      assertEquals(RunStatus.INCOMPLETE, RunDirectory.statusOf(partial).orElseThrow(), "killed at point " + k);
      assertTrue(!RunDirectory.isCompleteRun(partial));
      RunFixtures.Outcome resumed = RunFixtures.cli("run", exp.toString(), "--resume", partial.toString());
      assertEquals(0, resumed.status(), resumed.stderr());
      Path done = RunFixtures.runFolders(out).stream().filter(RunDirectory::isCompleteRun).findFirst().orElseThrow();
      for (String t : TABLES) {
        assertArrayEquals(Files.readAllBytes(reference.resolve(t)), Files.readAllBytes(done.resolve(t)),
            t + " after a kill at point " + k);
      }
    }
    // The kill points are reached long before the run ends; allow one to be missed on a slow machine.
    assertTrue(resumedRuns >= killWhen.size() - 1, "only " + resumedRuns + " runs were killed and resumed");
  }

  private static Process start(Path exp, Path out) throws IOException {
    List<String> cmd = ChildJvm.command("2g", List.of("run", exp.toString(), "--out", out.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return pb.start();
  }

  /** Polls until the run's partial folder satisfies {@code when}; returns it (null if the process ended first). */
  private static Path waitFor(Path out, Predicate<Path> when, Process p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Path partial = partialFolder(out);
      if (partial != null && when.test(partial)) {
        return partial;
      }
      if (!p.isAlive()) {
        return null;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("kill point not reached in 120 s");
  }

  /** The run's partial folder under {@code out/tiny}, or null while there is none. */
  static Path partialFolder(Path out) {
    Path dir = out.resolve("tiny");
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".partial")).findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** How many units of the partial run have finished (their {@code done} marker exists). */
  static long countDone(Path partial) {
    try (Stream<Path> s = Files.list(partial.resolve("checkpoints"))) {
      return s.filter(u -> Files.exists(u.resolve("done"))).count();
    } catch (IOException e) {
      return 0;
    }
  }

  private static boolean lanczosCheckpointWithoutDone(Path partial) {
    try (Stream<Path> s = Files.list(partial.resolve("checkpoints"))) {
      return s.anyMatch(u -> !Files.exists(u.resolve("done")) && hasFiles(u.resolve("lanczos")));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean hasFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(Files::isRegularFile);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean ageOver(Path partial, long millis) {
    try {
      return System.currentTimeMillis() - Files.getLastModifiedTime(partial).toMillis() > millis;
    } catch (IOException e) {
      return false;
    }
  }
}
