package org.hesspec.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An experiment with {@code cluster: {devices: [cpu:0, cpu:1]}} (the mini-batch sum split across two
 * devices of the process, as across GPUs) gives the spectra of a run on one device: ritz.csv and
 * eigenvalues.csv agree to 1e-10 relative per column (float64; the split sums the batches in
 * another order), as in {@link ClusterRunCheck}.
 */
class DeviceSplitRunTest {

  @Test
  void deviceSplitRunMatchesOneDevice(@TempDir Path dir) throws Exception {
    String base = ClusterRunCheck.experiment(dir.resolve("model"));
    Path local = dir.resolve("local.yaml");
    Files.writeString(local, base.replace("NAME", "local"));
    Path split = dir.resolve("split.yaml");
    Files.writeString(split, base.replace("NAME", "split") + "cluster: {devices: [cpu:0, cpu:1]}\n");
    assertEquals(0, Main.execute("run", local.toString(), "--out", dir.resolve("out").toString()));
    assertEquals(0, Main.execute("run", split.toString(), "--out", dir.resolve("out").toString()));
    for (String table : List.of("ritz.csv", "eigenvalues.csv")) {
      double worst = ClusterRunCheck.compare(ClusterRunCheck.run(dir.resolve("out/local")).resolve(table),
          ClusterRunCheck.run(dir.resolve("out/split")).resolve(table));
      assertTrue(worst <= 1e-10, table + ": largest relative difference " + worst);
    }
    String runJson = Files.readString(ClusterRunCheck.run(dir.resolve("out/split")).resolve("run.json"));
    assertTrue(runJson.contains("\"devices\"") && runJson.contains("cpu:1"), runJson);
  }

  @Test
  void allGpusWithoutAGpuIsAnInputErrorBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        org.tensorflow.LocalDevices.list(null).stream().noneMatch(d -> d.type().equals("GPU")), "this machine has a GPU");
    Path file = dir.resolve("gpus.yaml");
    Files.writeString(file, ClusterRunCheck.experiment(dir.resolve("model")).replace("NAME", "gpus") + "cluster: {devices: gpus}\n");
    assertEquals(Main.INPUT_ERROR, Main.execute("run", file.toString(), "--out", dir.resolve("out").toString()));
    assertTrue(Files.notExists(dir.resolve("out")), "a result folder was written");
  }
}
