package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hesspec.report.TableSchema;
import org.hesspec.report.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with a two-key sweep writes one column per swept key after {@code sweep} in every table
 * (docs/output-contract.md), with the value of that key at the row's sweep point; the run is then
 * read back by {@code hesspec report} and {@code hesspec summary}.
 */
class SweepColumnsRunTest {

  @Test
  void everyTableHasOneColumnPerSweptKeyWithThePointsValues(@TempDir Path tmp) throws IOException {
    Path exp = RunFixtures.tinyExperiment(tmp.resolve("exp"));
    // Two keys, 2 x 2 points; one operator and split and the density only, to keep it short.
    String yaml = Files.readString(exp);
    yaml = yaml.substring(0, yaml.indexOf("operators:"))
        + "operators: [G]\nsplits: [train]\nanalyses:\n  density: {iterations: 20, runs: 1, grid: 64, scales: [linear]}\n"
        + "sweep:\n  data.train.per_class: [20, 30]\n  analyses.density.iterations: [12, 16]\n";
    Files.writeString(exp, yaml);
    Path out = tmp.resolve("out");
    RunFixtures.Outcome o = RunFixtures.cli("run", exp.toString(), "--out", out.toString());
    assertEquals(0, o.status(), o.stderr());
    Path run = RunFixtures.runFolders(out).get(0);

    for (String table : Tables.all().stream().map(TableSchema::fileName).toList()) {
      List<String> header = List.of(Files.readAllLines(run.resolve(table)).get(0).split(",", -1));
      assertEquals(List.of("sweep", "data_train_per_class", "analyses_density_iterations"), header.subList(0, 3), table);
    }
    // Values right: each row's columns are its label's values, and they are the point's own settings, as the
    // run measured them: n = 4 classes x per_class training examples, M = the swept Lanczos steps.
    Map<String, Integer> seen = new HashMap<>();
    List<String> summary = Files.readAllLines(run.resolve("summary.csv"));
    for (String line : summary.subList(1, summary.size())) {
      String[] f = line.split(",", -1);
      assertEquals("data.train.per_class=" + f[1] + ";analyses.density.iterations=" + f[2], f[0], line);
      if (f[5].equals("examples")) {
        assertEquals(4 * Integer.parseInt(f[1]), (int) Double.parseDouble(f[6]), line);
        seen.merge("examples", 1, Integer::sum);
      }
      if (f[5].equals("lanczos_steps")) {
        assertEquals(Integer.parseInt(f[2]), (int) Double.parseDouble(f[6]), line);
        seen.merge("lanczos_steps", 1, Integer::sum);
      }
    }
    assertEquals(Map.of("examples", 4, "lanczos_steps", 4), seen, "one of each per sweep point");
    List<String> density = Files.readAllLines(run.resolve("density.csv"));
    for (String p : List.of("20", "30")) {
      for (String m : List.of("12", "16")) {
        String prefix = "data.train.per_class=" + p + ";analyses.density.iterations=" + m + "," + p + "," + m + ",train,G,linear,";
        assertTrue(density.stream().anyMatch(l -> l.startsWith(prefix)), prefix);
      }
    }
    // Read back from the tables alone.
    assertEquals(0, org.hesspec.experiments.cli.Main.execute("report", run.toString()));
    String keyNumbers = KeyNumbers.format(RunReport.summary(run));
    assertTrue(keyNumbers.contains("G"));

    // A run written before tables had these columns (the same tables without them) still reads and redraws,
    // and --rederive keeps its plain header.
    for (String table : Tables.all().stream().map(TableSchema::fileName).toList()) {
      List<String> plain = Files.readAllLines(run.resolve(table)).stream()
          .map(l -> {
            String[] f = l.split(",", -1);
            List<String> kept = new java.util.ArrayList<>(List.of(f));
            kept.remove(2);
            kept.remove(1);
            return String.join(",", kept);
          }).toList();
      Files.write(run.resolve(table), plain);
    }
    assertEquals(keyNumbers, KeyNumbers.format(RunReport.summary(run)));
    assertEquals(0, org.hesspec.experiments.cli.Main.execute("report", run.toString(), "--rederive"));
    assertTrue(Files.readAllLines(run.resolve("summary.csv")).get(0).startsWith("sweep,split,"));
  }
}
