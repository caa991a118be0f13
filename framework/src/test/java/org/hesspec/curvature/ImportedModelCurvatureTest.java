package org.hesspec.curvature;

import static org.hesspec.curvature.CurvatureNumerics.dense;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hesspec.data.Dataset;
import org.hesspec.model.FunctionModel;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ModelImportException;
import org.hesspec.model.OutputKind;
import org.hesspec.model.Precision;
import org.hesspec.model.SavedModelImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * A float32 classifier exported by TF Java with its network inside function calls
 * ({@code PartitionedCall}s of ConcreteFunctions), imported in float64, gives the same Hess, G
 * and H as the equivalent plain graph; a probability-output export gives the same operators as
 * the logits export.
 */
class ImportedModelCurvatureTest {
  static final int D = 4;
  static final int H = 5;
  static final int C = 3;
  static final String[] PARAMS = {"w1", "b1", "w2", "b2"};
  static final long[][] SHAPES = {{D, H}, {H}, {H, C}, {C}};

  @TempDir static Path tmp;
  static Map<String, float[]> values = new LinkedHashMap<>();

  @BeforeAll
  static void export() {
    Random r = new Random(3);
    for (int k = 0; k < PARAMS.length; k++) {
      int n = (int) (SHAPES[k].length == 1 ? SHAPES[k][0] : SHAPES[k][0] * SHAPES[k][1]);
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (0.7 * r.nextGaussian());
      }
      values.put(PARAMS[k], v);
    }
    exportClassifier(tmp.resolve("logits"), false);
    exportClassifier(tmp.resolve("probabilities"), true);
  }

  static Signature denseLayer(Ops tf) {
    Operand<TFloat32> x = tf.placeholder(TFloat32.class);
    Operand<TFloat32> w = tf.placeholder(TFloat32.class);
    Operand<TFloat32> b = tf.placeholder(TFloat32.class);
    return Signature.builder("dense").input("x", x).input("w", w).input("b", b)
        .output("y", tf.math.add(tf.linalg.matMul(x, w), b)).build();
  }

  @SuppressWarnings("unchecked")
  static void exportClassifier(Path dir, boolean probabilities) {
    try (ConcreteFunction denseFn = ConcreteFunction.create(ImportedModelCurvatureTest::denseLayer); Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, D)));
      Map<String, Operand<TFloat32>> p = new LinkedHashMap<>();
      for (int k = 0; k < PARAMS.length; k++) {
        p.put(PARAMS[k], tf.withName(PARAMS[k]).variable(
            tf.reshape(tf.constant(values.get(PARAMS[k])), tf.constant(toInts(SHAPES[k])))));
      }
      Operand<TFloat32> h = (Operand<TFloat32>) denseFn.call(tf, Map.of("x", x, "w", p.get("w1"), "b", p.get("b1"))).get("y");
      Operand<TFloat32> z = (Operand<TFloat32>) denseFn.call(tf, Map.of("x", tf.math.square(h), "w", p.get("w2"), "b", p.get("b2"))).get("y");
      Operand<TFloat32> out = probabilities ? tf.nn.softmax(z) : z;
      try (Session s = new Session(g)) {
        s.initialize();
        SavedModelBundle.exporter(dir.toString()).withSession(s)
            .withSignature(Signature.builder().key("serving_default").input("x", x).output("out", out).build()).export();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static int[] toInts(long[] s) {
    int[] r = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      r[i] = (int) s[i];
    }
    return r;
  }

  /** The same network written with plain ops, in float64, at the imported theta. */
  static ModelDefinition plain(ModelDefinition imported) {
    return FunctionModel.build("plain", imported.layout(), imported.theta(), new long[] {D}, C, Precision.FLOAT64, OutputKind.LOGITS,
        (tf, x, p) -> {
          Operand<TFloating> h = tf.math.add(tf.linalg.matMul(x, p.get(0)), p.get(1));
          return tf.math.add(tf.linalg.matMul(tf.math.square(h), p.get(2)), p.get(3));
        });
  }

  static double[][][] operators(ModelDefinition m, Dataset d) {
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(d, 7, m.precision())) {
      return new double[][][] {dense(g.operator(CurvatureOperator.HESSIAN, data)), dense(g.operator(CurvatureOperator.GAUSS_NEWTON, data)),
          dense(g.operator(CurvatureOperator.RESIDUAL_HESSIAN, data))};
    }
  }

  @Test
  void functionCallExportImportsWithItsParametersInGraphOrder() {
    ModelDefinition m = SavedModelImporter.load(tmp.resolve("logits"));
    assertEquals(List.of("w1", "b1", "w2", "b2"), m.layout().tensors().stream().map(t -> t.name()).toList());
    assertEquals(D * H + H + H * C + C, m.dimension());
    assertArrayEquals(new long[] {D}, m.exampleShape());
    assertEquals(C, m.outputWidth());
    assertEquals(Precision.FLOAT32, m.precision());
    // theta holds the exported float32 values exactly.
    assertEquals(values.get("w1")[5], m.theta()[5], 0.0);
    assertEquals(values.get("b2")[2], m.theta()[m.dimension() - 1], 0.0);
  }

  @Test
  void importedFloat64OperatorsEqualThePlainGraph() {
    Dataset d = TestModels.gaussianData(20, D, C, 5);
    ModelDefinition imported = SavedModelImporter.load(tmp.resolve("logits"), SavedModelImporter.Options.defaults().withPrecision(Precision.FLOAT64));
    assertEquals(Precision.FLOAT64, imported.precision());
    double[][][] a = operators(imported, d);
    double[][][] b = operators(plain(imported), d);
    double scale = CurvatureNumerics.frobenius(a[0]);
    assertTrue(scale > 0);
    // Identical float64 arithmetic up to op order: ~1e-15 relative; 1e-11 bound.
    for (int o = 0; o < 3; o++) {
      for (int i = 0; i < a[o].length; i++) {
        for (int j = 0; j < a[o].length; j++) {
          assertEquals(b[o][i][j], a[o][i][j], 1e-11 * scale, "operator " + o + " at " + i + "," + j);
        }
      }
    }
    // Hess = G + H, densely, in float64.
    for (int i = 0; i < a[0].length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        assertEquals(a[0][i][j], a[1][i][j] + a[2][i][j], 1e-10 * scale);
      }
    }
  }

  @Test
  void probabilityOutputGivesTheSameOperatorsAsLogits() {
    Dataset d = TestModels.gaussianData(20, D, C, 6);
    var opts = SavedModelImporter.Options.defaults().withPrecision(Precision.FLOAT64);
    ModelDefinition logits = SavedModelImporter.load(tmp.resolve("logits"), opts);
    ModelDefinition probs = SavedModelImporter.load(tmp.resolve("probabilities"),
        new SavedModelImporter.Options("serving_default", null, null, OutputKind.PROBABILITIES, Precision.FLOAT64));
    double[][][] a = operators(logits, d);
    double[][][] b = operators(probs, d);
    double scale = CurvatureNumerics.frobenius(a[0]);
    // log(softmax(z)) = z - logsumexp(z): the same loss; rounding of the extra ops ~1e-15 relative.
    for (int o = 0; o < 3; o++) {
      for (int i = 0; i < a[o].length; i++) {
        for (int j = 0; j < a[o].length; j++) {
          assertEquals(a[o][i][j], b[o][i][j], 1e-9 * scale, "operator " + o + " at " + i + "," + j);
        }
      }
    }
  }

  @Test
  void badSignatureAndFolderAreNamed() {
    ModelImportException e = assertThrows(ModelImportException.class,
        () -> SavedModelImporter.load(tmp.resolve("logits"), new SavedModelImporter.Options("predict", null, null, OutputKind.LOGITS)));
    assertTrue(e.getMessage().contains("predict") && e.getMessage().contains("serving_default"), e.getMessage());
    ModelImportException f = assertThrows(ModelImportException.class, () -> SavedModelImporter.load(tmp.resolve("nothing")));
    assertTrue(f.getMessage().contains("nothing"), f.getMessage());
    ModelImportException g = assertThrows(ModelImportException.class,
        () -> SavedModelImporter.load(tmp.resolve("logits"), new SavedModelImporter.Options("serving_default", "y", null, OutputKind.LOGITS)));
    assertTrue(g.getMessage().contains("'y'") && g.getMessage().contains("x"), g.getMessage());
  }
}
