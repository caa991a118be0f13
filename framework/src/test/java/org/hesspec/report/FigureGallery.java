package org.hesspec.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One figure of each kind from {@link DemoData}, for the tests and {@link FigureDemo}. */
final class FigureGallery {

  private FigureGallery() {}

  static Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("M", 128);
    p.put("K", 10);
    p.put("kernel width σ", 0.0123);
    p.put("n", 5060);
    p.put("seed", 7);
    return p;
  }

  static final double[] TRAIN = DemoData.eigenvalues(1, 40);
  static final double[] TEST = DemoData.eigenvalues(2, 25);

  static List<Figure> all() {
    List<Figure> figures = new ArrayList<>();
    Curve hessian = DemoData.density("Hessian", TRAIN, 0.4, 600);
    figures.add(
        DensityFigures.density(
            FigureText.of("density_train_hessian_linear", "Spectral density of the Hessian (train)",
                params()),
            List.of(hessian), YScale.LOG));
    figures.add(
        DensityFigures.density(
            FigureText.of("density_train_hessian_linear_lineary",
                "Spectral density of the Hessian (train), linear density axis", params()),
            List.of(hessian), YScale.LINEAR));
    figures.add(
        DensityFigures.logMagnitudeDensity(
            FigureText.of("density_train_hessian_log", "Density of log₁₀|λ|, Hessian (train)",
                params()),
            List.of(
                DemoData.logDensity("λ > 0", TRAIN, true, 400),
                DemoData.logDensity("λ < 0", TRAIN, false, 400).asDashed()),
            YScale.LOG));
    double[] g = DemoData.eigenvalues(3, 40);
    double[] h = DemoData.eigenvalues(4, 0.5);
    figures.add(
        DensityFigures.density(
            FigureText.of("density_train_overlay_hessian_G_H", "Hessian = G + H (train)", params()),
            List.of(
                hessian,
                DemoData.density("G", g, 0.4, 600).asDashed(),
                DemoData.density("H", h, 0.4, 600)),
            YScale.LOG));
    figures.add(
        DensityFigures.density(
            FigureText.of("density_hessian_train_vs_test", "Hessian: train against test",
                params()),
            List.of(
                new Curve("Hessian (train)", hessian.x(), hessian.y()),
                DemoData.density("Hessian (test)", TEST, 0.4, 600).asDashed()),
            YScale.LOG));
    List<Facet> facets = new ArrayList<>();
    int[] perClass = {10, 51, 506};
    for (int i = 0; i < perClass.length; i++) {
      double[] v = DemoData.eigenvalues(10 + i, 4 * Math.pow(perClass[i], 0.5));
      facets.add(new Facet(perClass[i] + " per class",
          List.of(DemoData.density("Hessian", v, 0.4, 500),
              DemoData.density("H", DemoData.eigenvalues(20 + i, 0.5), 0.4, 500).asDashed())));
    }
    figures.add(
        DensityFigures.smallMultiples(
            FigureText.of("density_train_hessian_by_per_class",
                "Hessian spectral density by examples per class", params()),
            DensityFigures.EIGENVALUE, facets, YScale.LOG));
    double[] top = DemoData.top(TRAIN, 25);
    double[] classMeans = new double[10];
    double[] crossClass = new double[25];
    for (int i = 0; i < 10; i++) {
      classMeans[i] = top[i] * 0.93;
    }
    for (int i = 0; i < 25; i++) {
      crossClass[i] = top[Math.min(i, 24)] * (i < 10 ? 1.02 : 0.6);
    }
    figures.add(
        EigenvalueFigures.topEigenvalues(
            FigureText.of("top_eigenvalues_train_hessian",
                "Top eigenvalues of the Hessian and of the class-structure Gram matrices",
                params()),
            new RankedValues("Hessian", top), 10,
            List.of(new RankedValues("class means (Gram)", classMeans),
                new RankedValues("cross-class means (Gram)", crossClass)),
            top[10] * 1.2));
    double[] positive = java.util.Arrays.stream(TRAIN).filter(v -> v > 0.01 && v < 20).toArray();
    double[] ccdfX = java.util.Arrays.stream(positive).sorted().toArray();
    double[] ccdfY = new double[ccdfX.length];
    for (int i = 0; i < ccdfX.length; i++) {
      ccdfY[i] = (double) (ccdfX.length - i) / TRAIN.length;
    }
    figures.add(
        EigenvalueFigures.tailCcdf(
            FigureText.of("tail_ccdf_train_hessian", "Tail of the Hessian spectrum (train)",
                params()),
            TRAIN, PowerLaw.fitLogLog(ccdfX, ccdfY, 0.01, 1)));
    double[][] outliers = new double[perClass.length][];
    double[] edge = new double[perClass.length];
    for (int i = 0; i < perClass.length; i++) {
      outliers[i] = DemoData.top(DemoData.eigenvalues(10 + i, 4 * Math.pow(perClass[i], 0.5)), 10);
      edge[i] = 1.5 + 0.1 * i;
    }
    figures.add(
        EigenvalueFigures.sweep(
            FigureText.of("sweep_train_hessian_outliers", "Outliers and bulk edge against sample size",
                params()),
            "examples per class", new double[] {10, 51, 506}, outliers, edge));
    figures.add(embeddingFigure());
    return figures;
  }

  static final List<String> CLASS_NAMES =
      List.of("T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
          "Bag", "Boot");

  static Figure embeddingFigure() {
    Map<String, Object> p = params();
    p.put("t-SNE perplexity", 30);
    return EmbeddingFigures.embedding(
        FigureText.of("embedding_train_class_means", "Class means and cross-class means of "
            + "the gradients, 2-D embeddings", p),
        EmbeddingDemo.rows(DemoData.CLASSES, 5), CLASS_NAMES);
  }
}
