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
    String base = """
        name: NAME
        seed: 3
        precision: float64
        model:
          savedmodel: %s
          train: {architecture: mlp, hidden: [8], activation: tanh, learning_rate: 0.05, epochs: 5, batch_size: 20}
        data: {source: gaussian-mixture, classes: 3, dims: 5, separation: 3.0, train: {per_class: 17}}
        loss: cross_entropy
        batch_size: 10
        operators: [hessian, G, H]
        splits: [train]
        analyses:
          density: {iterations: 12, runs: 2, grid: 64, scales: [linear]}
          top_eigen: {k: 3}
        """.formatted(dir.resolve("model").toAbsolutePath());
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
}
