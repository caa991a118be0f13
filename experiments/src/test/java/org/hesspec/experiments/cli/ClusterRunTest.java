package org.hesspec.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hesspec worker} and an experiment with {@code cluster:} give the same tables as a run in
 * one process. Everything runs in one child process under {@code unshare -n} (loopback only);
 * skipped where that is not permitted.
 */
class ClusterRunTest {

  private static boolean unsharePermitted() {
    try {
      Process p = new ProcessBuilder("unshare", "-n", "sh", "-c", "ip link set lo up").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void clusterRunMatchesLocalRun(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(unsharePermitted(), "'unshare -n' (a private network namespace) is not permitted here");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String inner = "ip link set lo up && exec \"$0\" -Xmx2g -cp \"$1\" " + ClusterRunCheck.class.getName() + " \"$2\"";
    ProcessBuilder pb = new ProcessBuilder("unshare", "-n", "sh", "-c", inner, java, System.getProperty("java.class.path"), tmp.toString());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("check.log").toFile());
    Process p = pb.start();
    boolean done = p.waitFor(170, TimeUnit.SECONDS);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String text = Files.readString(tmp.resolve("check.log"), StandardCharsets.UTF_8);
    System.out.println(text);
    assertTrue(done, "did not finish:\n" + text);
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains("CLUSTER RUN OK"), text);
  }

  @Test
  void workerHelpCarriesTheWarningAndBadPortIsAnInputError() {
    java.io.PrintStream old = System.out;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
      assertEquals(0, Main.execute("worker", "--help"));
    } finally {
      System.setOut(old);
    }
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("no authentication") && help.contains("private network"), help);
    assertEquals(Main.INPUT_ERROR, Main.execute("worker", "--port", "0"));
  }
}
