package org.hesspec.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.data.Dataset;
import org.hesspec.model.train.ModelMetadata;
import org.hesspec.model.train.ModelState;
import org.hesspec.model.train.SavedModelExporter;
import org.hesspec.model.zoo.Vgg11;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An untrained full-width VGG11 (CIFAR-10 shape) exported by the zoo: {@code hesspec inspect}'s
 * view of it (p = 28,144,010, parameter names in construction order), and one Hessian-vector
 * product on two CIFAR-sized examples through the imported graph.
 */
class Vgg11InspectTest {

  @TempDir Path tmp;

  @Test
  void fullWidthVgg11InspectsWithItsParameterCountAndNamesAndGivesAFiniteHessianProduct() throws Exception {
    long t0 = System.nanoTime();
    Vgg11 arch = Vgg11.cifar(10);
    ModelState state = ModelState.initial(arch, 3);
    Path dir = new SavedModelExporter().export(arch, state, ModelMetadata.untrained(arch, state, 3), tmp.resolve("vgg11"));
    long tExport = System.nanoTime();

    ModelInspection inspection = ModelInspection.of(dir, SavedModelImporter.Options.defaults());
    assertNull(inspection.importError(), inspection.importError());
    ModelDefinition m = inspection.model();
    assertNotNull(m);
    assertEquals(28_144_010, m.dimension());
    List<String> expected = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      expected.add("conv_" + k + "/kernel");
      expected.add("conv_" + k + "/bias");
    }
    for (int k = 0; k < 3; k++) {
      expected.add("dense_" + k + "/kernel");
      expected.add("dense_" + k + "/bias");
    }
    assertEquals(expected, m.layout().tensors().stream().map(ParameterTensor::name).toList());
    assertEquals(expected, state.parameters().stream().map(t -> t.name()).toList());
    assertTrue(inspection.signatures().containsKey("serving_default"), inspection.signatures().toString());
    assertTrue(inspection.opTypes().getOrDefault("Conv2D", 0) == 8, inspection.opTypes().toString());
    long tInspect = System.nanoTime();

    // One Hess v on two 32x32x3 examples (float32, as imported).
    Random r = new Random(4);
    float[] x = new float[2 * 32 * 32 * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    Dataset d = Dataset.classification("noise", x, new int[] {32, 32, 3}, new int[] {3, 7}, 10);
    double[] v = new double[m.dimension()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian();
    }
    double[] hv = new double[m.dimension()];
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(d, 2, m.precision())) {
      // apply throws ArithmeticException, naming the tensor, on any non-finite entry.
      g.operator(CurvatureOperator.HESSIAN, data).apply(v, hv);
    }
    double norm = 0;
    for (double a : hv) {
      assertTrue(Double.isFinite(a));
      norm += a * a;
    }
    assertTrue(norm > 0, "Hess v is zero");
    long tEnd = System.nanoTime();
    System.out.printf("VGG11 full width: init + export %.1f s, inspect %.1f s, graph + Hess v %.1f s, |Hess v| = %.4g%n",
        (tExport - t0) / 1e9, (tInspect - tExport) / 1e9, (tEnd - tInspect) / 1e9, Math.sqrt(norm));
  }
}
