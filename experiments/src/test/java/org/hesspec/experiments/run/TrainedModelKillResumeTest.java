package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that trains its own model, killed with SIGKILL right after the model is exported, then
 * resumed and killed again in the middle of the analyses, then resumed to the end: its six tables
 * are byte-identical to an uninterrupted run's. Before the resume compared the declared
 * experiment, the first resume was refused (the model's signature had filled in model.input and
 * model.output). Also a kill during the export itself (the trained model's temporary folder exists,
 * the model does not): the resume trains again and ends with the same tables.
 *
 * <p>One sweep point, one split, two operators and a short training keep it short.
 */
class TrainedModelKillResumeTest {

  /** The same options for every run and resume: a resume must see the same experiment. */
  static final String[] SETS = {"--set", "sweep.data.train.per_class=[20]", "--set", "model.train.epochs=15",
      "--set", "splits=[train]", "--set", "operators=[hessian, G]", "--set", "analyses.density.runs=2",
      "--set", "analyses.trace.samples=6", "--set", "analyses.exact.max_parameters=100"};

  @TempDir static Path shared;
  static Path reference;

  /** The uninterrupted run both tests compare with. */
  @BeforeAll
  static void referenceRun() {
    Path refExp = RunFixtures.tinyExperiment(shared.resolve("ref"));
    RunFixtures.Outcome ref = RunFixtures.cli(args("run", refExp.toString(), "--out", shared.resolve("ref-out").toString()));
    assertEquals(0, ref.status(), ref.stderr());
    reference = RunFixtures.runFolders(shared.resolve("ref-out")).get(0);
  }

  @Test
  void killedAfterTrainingAndAgainMidAnalysisResumesToTheUninterruptedTables(@TempDir Path tmp) throws Exception {
    Path exp = RunFixtures.tinyExperiment(tmp.resolve("exp"));
    Path out = tmp.resolve("out");
    Path models = exp.getParent().resolve("models");
    Process first = start(exp, out, null);
    Path partial = waitFor(out, p -> ModelStep.exists(models.resolve("tiny-mlp-20")) && KillAndResumeTest.countDone(p) == 0, first, 2);
    kill(first);
    assertNotNull(partial, "the run ended before its model was exported");
    assertFalse(RunDirectory.isCompleteRun(partial));
    assertEquals(RunStatus.INCOMPLETE, RunDirectory.statusOf(partial).orElseThrow());

    Process second = start(exp, out, partial);
    Path again = waitFor(out, p -> KillAndResumeTest.countDone(p) >= 2, second, 20);
    kill(second);
    assertNotNull(again, "the resumed run ended before it was killed mid-analysis");
    assertFalse(RunDirectory.isCompleteRun(again));

    RunFixtures.Outcome resumed = RunFixtures.cli(args("run", exp.toString(), "--resume", again.toString()));
    assertEquals(0, resumed.status(), resumed.stderr());
    assertSameTables(reference, completeRun(out));
  }

  @Test
  void killedDuringTheExportOfTheTrainedModelResumesToTheUninterruptedTables(@TempDir Path tmp) throws Exception {
    // The export takes a fraction of a second: a run that finishes it before the poll sees it is
    // tried again in a fresh folder (three tries).
    for (int attempt = 0; attempt < 3; attempt++) {
      Path exp = RunFixtures.tinyExperiment(tmp.resolve("exp" + attempt));
      Path out = tmp.resolve("out" + attempt);
      Path models = exp.getParent().resolve("models");
      Process p = start(exp, out, null);
      // The exporter writes into a hidden temporary folder beside the model and moves it into place.
      Path partial = waitFor(out, x -> exporting(models), p, 1);
      kill(p);
      if (partial == null || ModelStep.exists(models.resolve("tiny-mlp-20"))) {
        continue; // the export finished before the kill
      }
      assertFalse(RunDirectory.isCompleteRun(partial));
      RunFixtures.Outcome resumed = RunFixtures.cli(args("run", exp.toString(), "--resume", partial.toString()));
      assertEquals(0, resumed.status(), resumed.stderr());
      assertSameTables(reference, completeRun(out));
      return;
    }
    throw new AssertionError("three runs finished their export before it could be interrupted");
  }

  private static String[] args(String... head) {
    List<String> a = new ArrayList<>(List.of(head));
    a.addAll(List.of(SETS));
    return a.toArray(String[]::new);
  }

  private static void assertSameTables(Path reference, Path done) throws IOException {
    for (String t : KillAndResumeTest.TABLES) {
      assertArrayEquals(Files.readAllBytes(reference.resolve(t)), Files.readAllBytes(done.resolve(t)), t);
    }
  }

  private static Path completeRun(Path out) {
    return RunFixtures.runFolders(out).stream().filter(RunDirectory::isCompleteRun).findFirst()
        .orElseThrow(() -> new AssertionError("no complete run under " + out));
  }

  private static Process start(Path exp, Path out, Path resume) throws IOException {
    List<String> cmd = ChildJvm.command("2g", List.of(resume == null ? args("run", exp.toString(), "--out", out.toString())
        : args("run", exp.toString(), "--resume", resume.toString())));
    Path log = out.resolveSibling(out.getFileName() + (resume == null ? ".log" : ".resume.log"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return pb.start();
  }

  private static void kill(Process p) throws InterruptedException {
    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** Polls every {@code pollMillis} until the run's partial folder satisfies {@code when}; null if the process ended first. */
  private static Path waitFor(Path out, Predicate<Path> when, Process p, long pollMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      Path partial = KillAndResumeTest.partialFolder(out);
      if (partial != null && when.test(partial)) {
        return partial;
      }
      if (!p.isAlive()) {
        return null;
      }
      Thread.sleep(pollMillis);
    }
    throw new AssertionError("kill point not reached in 180 s");
  }

  private static boolean exporting(Path models) {
    try (Stream<Path> s = Files.list(models)) {
      return s.anyMatch(f -> f.getFileName().toString().startsWith(".tiny-mlp-20.tmp-"));
    } catch (IOException e) {
      return false;
    }
  }
}
