package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hesspec.report.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole run of the tiny experiment through the command line writes every file of docs/output-contract.md. */
class ExperimentRunTest {

  @Test
  void runWritesEveryContractFileWithRealFiguresAndAnOfflineReport(@TempDir Path tmp) throws IOException {
    Path exp = RunFixtures.tinyExperiment(tmp.resolve("exp"));
    Path out = tmp.resolve("out");
    RunFixtures.Outcome o = RunFixtures.cli("run", exp.toString(), "--out", out.toString());
    assertEquals(0, o.status(), o.stderr());
    List<Path> runs = RunFixtures.runFolders(out);
    assertEquals(1, runs.size(), runs.toString());
    Path run = runs.get(0);
    assertTrue(RunDirectory.isCompleteRun(run), "run.json says complete");
    assertTrue(run.getParent().getFileName().toString().equals("tiny"), "results go to <out>/<name>/<run-id>/");
    for (String f : List.of("run.json", "density.csv", "ritz.csv", "eigenvalues.csv", "trace.csv", "class_structure.csv",
        "summary.csv", "report.html")) {
      assertTrue(Files.size(run.resolve(f)) > 0, f);
    }
    assertTrue(!Files.exists(run.resolve("checkpoints")), "checkpoints are removed when the run completes");
    // Headers exactly as docs/output-contract.md: the swept key's own column after `sweep`.
    assertEquals("sweep,data_train_per_class,split,operator,scale,x,density", firstLine(run.resolve("density.csv")));
    assertEquals("sweep,data_train_per_class,split,operator,run,node,weight", firstLine(run.resolve("ritz.csv")));
    assertEquals("sweep,data_train_per_class,split,operator,method,rank,eigenvalue,residual", firstLine(run.resolve("eigenvalues.csv")));
    assertEquals("sweep,data_train_per_class,split,operator,method,estimate,std_error,samples", firstLine(run.resolve("trace.csv")));
    assertEquals("sweep,data_train_per_class,split,level,rank,eigenvalue", firstLine(run.resolve("class_structure.csv")));
    assertEquals("sweep,data_train_per_class,split,operator,quantity,value", firstLine(run.resolve("summary.csv")));
    // Every sweep value, split and operator is present; both methods of eigenvalues; all class-structure levels.
    List<String> density = Files.readAllLines(run.resolve("density.csv"));
    for (String sweep : List.of("20", "30")) {
      for (String split : List.of("train", "test")) {
        for (String op : List.of("hessian", "G", "H")) {
          for (String scale : List.of("linear", "log", "log_negative")) {
            String prefix = sweep + "," + sweep + "," + split + "," + op + "," + scale + ",";
            assertTrue(density.stream().anyMatch(l -> l.startsWith(prefix)), prefix);
          }
        }
      }
    }
    String eig = Files.readString(run.resolve("eigenvalues.csv"));
    assertTrue(eig.contains(",lanczos,") && eig.contains(",exact,"));
    String cs = Files.readString(run.resolve("class_structure.csv"));
    for (String level : List.of("self_means", "class_means", "cross_class", "means", "within")) {
      assertTrue(cs.contains("," + level + ","), level);
    }
    // summary.csv names, for each operator, the top eigenvalue, the trace, the negative mass and the outlier count.
    List<String> summary = Files.readAllLines(run.resolve("summary.csv"));
    for (String op : List.of("hessian", "G", "H")) {
      for (String q : List.of("top_eigenvalue", "trace", "negative_mass", "outlier_count")) {
        String prefix = "30,30,train," + op + "," + q + ",";
        assertTrue(summary.stream().anyMatch(l -> l.startsWith(prefix)), prefix);
      }
    }
    // G is positive semidefinite: its negative mass is zero; the Hessian of a ReLU net has negative mass.
    assertTrue(value(summary, "30,30,train,G,negative_mass,") < 1e-3);
    // ... and its exact spectrum (float32 products) has no eigenvalue below the rounding floor.
    assertEquals(0.0, value(summary, "30,30,train,G,exact_negative_fraction,"));
    // Figures: PNG and SVG of each, the density overlays and a panel per sweep value among them.
    Set<String> figures;
    try (Stream<Path> s = Files.list(run.resolve("figures"))) {
      figures = s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
    for (String name : List.of("density_train_sweep-30_logy", "logdensity_test_sweep-20", "train-vs-test_hessian_sweep-30",
        "density-by-sweep_train_hessian", "top-eigenvalues_train_hessian_sweep-30", "class-means-embedding_train_sweep-30",
        "outliers-vs-sweep_train")) {
      assertTrue(figures.contains(name + ".png") && figures.contains(name + ".svg"), name + " in " + figures);
    }
    // The report embeds the figures and needs nothing from the network.
    String html = Files.readString(run.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("data:image/png;base64,"));
    assertTrue(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"));
    assertTrue(html.contains("<h2>Regime</h2>"), "the regime table heads the report");
    // The regime of each sweep point and split, with C recorded per point.
    for (String q : List.of("classes", "train_loss", "train_accuracy", "margin_q05", "margin_median", "nc1")) {
      assertTrue(summary.stream().anyMatch(l -> l.startsWith("30,30,train,model," + q + ",")), q);
    }
    for (String q : List.of("means_share", "class_share", "cross_share", "class_subspace_overlap", "means_subspace_overlap")) {
      assertTrue(summary.stream().anyMatch(l -> l.startsWith("30,30,train,G," + q + ",")), q);
    }
    double overlap = value(summary, "30,30,train,G,class_subspace_overlap,");
    assertTrue(overlap >= 0 && overlap <= 1 + 1e-9, "an overlap is a fraction: " + overlap);
    assertTrue(Files.readString(run.resolve("embedding.csv")).startsWith("sweep,data_train_per_class,split,method,kind,c,c2,x,y\n"));

    // From the tables alone: re-deriving with the same rules gives summary.csv byte for byte, and the
    // summary command prints the key numbers.
    String before = Files.readString(run.resolve("summary.csv"));
    Files.delete(run.resolve("report.html"));
    assertEquals(0, org.hesspec.experiments.cli.Main.execute("report", run.toString(), "--rederive"));
    assertEquals(before, Files.readString(run.resolve("summary.csv")));
    assertTrue(Files.isRegularFile(run.resolve("report.html")));
    String keyNumbers = KeyNumbers.format(RunReport.summary(run));
    assertTrue(keyNumbers.contains("Regime") && keyNumbers.contains("Spectra") && keyNumbers.contains("hessian"), keyNumbers);
    assertEquals(2, org.hesspec.experiments.cli.Main.execute("summary", run.resolve("no-such-run").toString()));

    // Sweep panels state their own n (4 classes x 20 or 30 training examples), p and kernel width.
    String panels = Files.readString(run.resolve("figures/density-by-sweep_train_hessian.svg"));
    assertTrue(panels.contains(">n = 80, p = ") && panels.contains(">n = 120, p = ") && panels.contains("kernel width = "),
        "per-panel subtitles");
    // Every tail fit has its CCDF figure, and the tiny run has some.
    int tails = 0;
    for (String line : summary) {
      String[] f = line.split(",", -1);
      if (f.length == 6 && f[4].equals("tail_exponent")) {
        String name = org.hesspec.report.FigureText.fileName("tail-ccdf", f[2], f[3], "sweep-" + f[0]);
        assertTrue(figures.contains(name + ".pdf") && figures.contains(name + ".txt"), name + " in " + figures);
        tails++;
      }
    }
    assertTrue(tails > 0, "no tail fit in the tiny run");

    // The paper style, from the tables alone: one-column and two-column widths in inches, captions beside.
    assertEquals(0, org.hesspec.experiments.cli.Main.execute("report", run.toString(), "--style", "paper"));
    assertEquals(3.25, pdfWidthInches(run.resolve("figures/density_train_sweep-30_logy.pdf")), 1e-9);
    assertEquals(6.75, pdfWidthInches(run.resolve("figures/density-by-sweep_train_hessian.pdf")), 1e-9);
    assertTrue(Files.readString(run.resolve("figures/density_train_sweep-30_logy.txt")).startsWith("Spectral density, train split"));
    assertTrue(Files.readString(run.resolve("report.html")).contains("Spectral density, train split"));
    assertEquals(2, org.hesspec.experiments.cli.Main.execute("report", run.toString(), "--style", "poster"));
  }

  static double pdfWidthInches(Path pdf) throws IOException {
    try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
      return doc.getPage(0).getMediaBox().getWidth() / 72.0;
    }
  }

  static String firstLine(Path p) throws IOException {
    return Files.readAllLines(p).get(0);
  }

  static double value(List<String> summary, String prefix) {
    return summary.stream().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
        .findFirst().orElseThrow(() -> new AssertionError("no " + prefix));
  }
}
