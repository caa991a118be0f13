package org.hesspec.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./hesspec}, run as a process: TensorFlow's start-up lines from absl
 * ({@code WARNING: All log messages before absl::InitializeLog() ...} and
 * {@code I0000 ... mlir_graph_optimization_pass.cc ...}) stay off stderr, on a command that
 * trains (sessions, graph optimisation) and one that loads a SavedModel; a user's own
 * {@code TF_CPP_MIN_LOG_LEVEL=0} still shows them. The launcher runs from the test's class path
 * ({@code HESSPEC_CLASSPATH}), so it does not build. A JVM that dies of a native crash keeps its
 * exit status, without bash's report of the killed pipeline, and on AMD Zen 5 the launcher names
 * oneDNN's known heap corruption there (README, "Limits"). A TERM sent to the launcher alone ends
 * the JVM too.
 */
class QuietStderrTest {

  static final List<String> NOISE = List.of("absl::InitializeLog", "mlir_graph_optimization_pass");

  /** Exit status, stdout and stderr of the launcher. */
  record Result(int status, String stdout, String stderr) {}

  @Test
  void startUpLinesStayOffStderrUnlessTheUserAsksForThem(@TempDir Path tmp) throws Exception {
    Path exp = tmp.resolve("tiny.yaml");
    try (InputStream in = QuietStderrTest.class.getResourceAsStream("/run/tiny.yaml")) {
      Files.write(exp, in.readAllBytes());
    }
    Result train = launch(tmp, null, "train", exp.toString(), "--set", "sweep.data.train.per_class=[20]",
        "--set", "model.train.epochs=2");
    assertEquals(0, train.status(), train.stderr());
    assertTrue(train.stderr().contains("hesspec: trained:"), train.stderr());
    for (String n : NOISE) {
      assertFalse(train.stderr().contains(n), "'" + n + "' on stderr of train:\n" + train.stderr());
    }
    String model = train.stdout().strip().lines().reduce((a, b) -> b).orElseThrow();

    Result quiet = launch(tmp, "2", "inspect", model);
    assertEquals(0, quiet.status(), quiet.stderr());
    assertTrue(quiet.stdout().contains("dense_0/kernel"), quiet.stdout());
    assertEquals("", quiet.stderr().strip(), "inspect wrote to stderr");

    Result loud = launch(tmp, "0", "inspect", model);
    assertEquals(0, loud.status(), loud.stderr());
    assertTrue(loud.stderr().contains("mlir_graph_optimization_pass"), "TF_CPP_MIN_LOG_LEVEL=0 should show TensorFlow's lines:\n"
        + loud.stderr());

    // An input error's message still reaches stderr, and the exit status passes through the filter.
    Result bad = launch(tmp, null, "validate", tmp.resolve("nope.yaml").toString());
    assertEquals(2, bad.status(), bad.stderr());
    assertTrue(bad.stderr().contains("nope.yaml"), bad.stderr());
  }

  @Test
  void aCrashedJvmKeepsItsStatusAndTheShellsReportStaysOut(@TempDir Path tmp) throws Exception {
    // A JVM that aborts when the missing experiment file throws NoSuchFileException, standing in for one
    // whose native library corrupts the heap: SIGABRT, exit status 134.
    Map<String, String> env = new java.util.HashMap<>();
    env.put("HESSPEC_JAVA_OPTS", "-Xmx1g -XX:+UnlockDiagnosticVMOptions -XX:AbortVMOnException=java.nio.file.NoSuchFileException "
        + "-XX:ErrorFile=" + tmp.resolve("hs_err_%p.log"));
    env.put("ONEDNN_MAX_CPU_ISA", null);
    String cpu = Files.readString(Path.of("/proc/cpuinfo"));
    boolean zen5 = cpu.contains("AuthenticAMD") && java.util.regex.Pattern.compile("(?m)^cpu family\\s*: 26$").matcher(cpu).find();
    // the filtered launch (the default level 2) and the unfiltered one (level 0) behave alike
    for (String level : java.util.Arrays.asList(null, "0")) {
      Result crash = launch(tmp, level, env, "validate", tmp.resolve("nope.yaml").toString());
      assertEquals(134, crash.status(), "level " + level + ": " + crash.stderr());
      // bash reports a job killed by a signal quoting its whole command (the launcher's log filter)
      assertFalse(crash.stderr().contains("perl") || crash.stderr().contains("Aborted"), crash.stderr());
      // HotSpot writes its crash banner to stdout (-XX:+DisplayVMOutputToStderr does not move it in JDK 17)
      assertTrue(crash.stdout().contains("Saw java.nio.file.NoSuchFileException"), "level " + level + ": " + crash.stdout());
      // the known cause on AMD Zen 5 (README, "Limits") is named there, and only there
      assertEquals(zen5, crash.stderr().contains("ONEDNN_MAX_CPU_ISA=AVX2"), "level " + level + ": " + crash.stderr());
    }
  }

  /** Runs {@code bash <repository>/hesspec args...}; {@code level} null leaves TF_CPP_MIN_LOG_LEVEL unset. */
  private static Result launch(Path tmp, String level, String... args) throws IOException, InterruptedException {
    return launch(tmp, level, Map.of(), args);
  }

  /**
   * A TERM sent to the launcher alone, as {@code timeout} or a batch scheduler sends it, reaches the
   * JVM, which ends through its shutdown hooks: no JVM is left running on its own, and the
   * launcher's status is the JVM's (143), with the log filter (the default) and without it.
   */
  @Test
  void aTermSentToTheLauncherEndsTheJvm(@TempDir Path tmp) throws Exception {
    for (String level : java.util.Arrays.asList(null, "0")) {
      Path runs = tmp.resolve("runs-" + level);
      // the quickstart takes tens of seconds: it is still running when the TERM comes
      Process launcher = launcher(tmp, level, Map.of(), "run", root().resolve("experiments/quickstart.yaml").toString(), "--out",
          runs.toString()).start();
      ProcessHandle jvm = null;
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (jvm == null && System.nanoTime() < deadline && launcher.isAlive()) {
          jvm = launcher.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst()
              .orElse(null);
          Thread.sleep(100);
        }
        assertTrue(jvm != null && jvm.isAlive(), "level " + level + ": no running JVM under the launcher");
        Path runJson = null; // the run has started: its folder exists
        while (runJson == null && System.nanoTime() < deadline && jvm.isAlive()) {
          runJson = runJson(runs);
          Thread.sleep(100);
        }
        assertTrue(runJson != null && jvm.isAlive(), "level " + level + ": the run did not start");
        launcher.destroy(); // SIGTERM, to the launcher's process only
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "level " + level + ": the launcher did not end");
        assertTrue(jvm.onExit().get(120, TimeUnit.SECONDS) != null && !jvm.isAlive(), "level " + level + ": the JVM did not end");
        assertEquals(143, launcher.exitValue(), "level " + level);
        // stopped, not finished on its own after the launcher was gone
        assertEquals(org.hesspec.report.RunStatus.INCOMPLETE, org.hesspec.report.RunDirectory.statusOf(runJson.getParent()).orElseThrow(),
            "level " + level + ": the JVM outlived its launcher and finished the run");
      } finally {
        if (jvm != null) {
          jvm.destroyForcibly();
        }
        launcher.destroyForcibly();
      }
    }
  }

  /** The run.json of the one run below {@code runs}, or null before it exists. */
  private static Path runJson(Path runs) throws IOException {
    if (!Files.isDirectory(runs)) {
      return null;
    }
    try (var files = Files.walk(runs)) {
      return files.filter(f -> f.getFileName().toString().equals("run.json")).findFirst().orElse(null);
    }
  }

  /** As above, with {@code extra} added to the environment (a null value removes the variable). */
  private static Result launch(Path tmp, String level, Map<String, String> extra, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder pb = launcher(tmp, level, extra, args);
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the launcher did not finish in 180 s: " + pb.command());
    }
    return new Result(p.exitValue(), Files.readString(pb.redirectOutput().file().toPath(), StandardCharsets.UTF_8),
        Files.readString(pb.redirectError().file().toPath(), StandardCharsets.UTF_8));
  }

  /** The repository root: the folder above the working directory that holds the launcher. */
  private static Path root() {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !(Files.isRegularFile(root.resolve("hesspec")) && Files.isDirectory(root.resolve("experiments")))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException("the launcher ./hesspec is not above " + Path.of("").toAbsolutePath());
    }
    return root;
  }

  /** {@code bash <repository>/hesspec args...} in {@code tmp}, stdout and stderr to files there. */
  private static ProcessBuilder launcher(Path tmp, String level, Map<String, String> extra, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bash", root().resolve("hesspec").toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    // in tmp: a core file, where the machine writes them, goes there (every argument is an absolute path)
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.remove("TF_CPP_MIN_LOG_LEVEL");
    if (level != null) {
      env.put("TF_CPP_MIN_LOG_LEVEL", level);
    }
    env.put("HESSPEC_CLASSPATH", System.getProperty("java.class.path"));
    env.put("HESSPEC_JAVA_OPTS", "-Xmx1g");
    String javaCommand = ProcessHandle.current().info().command().orElse(null);
    if (javaCommand != null) {
      // the launcher calls `java`: the one running this test comes first on the PATH
      env.put("PATH", Path.of(javaCommand).getParent() + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
    }
    extra.forEach((k, v) -> {
      if (v == null) {
        env.remove(k);
      } else {
        env.put(k, v);
      }
    });
    return pb;
  }
}
