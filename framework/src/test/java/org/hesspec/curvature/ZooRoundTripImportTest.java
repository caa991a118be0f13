package org.hesspec.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.data.Dataset;
import org.hesspec.data.GaussianMixtureGenerator;
import org.hesspec.data.Split;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterTensor;
import org.hesspec.model.Precision;
import org.hesspec.model.SavedModelImporter;
import org.hesspec.model.train.InferenceModel;
import org.hesspec.model.train.LearningRateSchedule;
import org.hesspec.model.train.NamedTensor;
import org.hesspec.model.train.SavedModelExporter;
import org.hesspec.model.train.TrainedModel;
import org.hesspec.model.train.Trainer;
import org.hesspec.model.train.TrainingConfig;
import org.hesspec.model.train.TrainingListener;
import org.hesspec.model.zoo.Activation;
import org.hesspec.model.zoo.Mlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.NodeDef;

/**
 * The zoo's path into the curvature code: train a small ReLU MLP on a Gaussian mixture with the
 * zoo {@link Trainer}, export it with {@link SavedModelExporter}, import it with
 * {@link SavedModelImporter}. The import must reproduce the trained parameters and the served
 * logits bit for bit, keep the zoo's parameter names in construction order, and, converted to
 * float64, give a Hessian-vector product that matches finite differences.
 */
class ZooRoundTripImportTest {

  @TempDir Path tmp;

  @Test
  void trainedMlpImportsBitExactlyAndItsFloat64HessianMatchesFiniteDifferences() throws Exception {
    long t0 = System.nanoTime();
    Dataset train = GaussianMixtureGenerator.generate(4, 8, 3.0, 25, 17, Split.TRAIN);
    Mlp arch = Mlp.of(8, List.of(10, 10), Activation.RELU, 4);
    TrainingConfig config = TrainingConfig.defaults(5).withEpochs(5).withBatchSize(20)
        .withSchedule(new LearningRateSchedule.Constant(0.05)).withTargetTrainAccuracy(Double.NaN).withThreads(2, 1);
    TrainedModel trained = new Trainer(config, TrainingListener.silent()).train(arch, train);
    assertEquals(5, trained.epochsRun());
    Path dir = new SavedModelExporter().export(trained, tmp.resolve("mlp"));

    // Parameters: the zoo's names, in construction order, values bit for bit.
    ModelDefinition m = SavedModelImporter.load(dir);
    assertEquals(Precision.FLOAT32, m.precision());
    List<NamedTensor> zoo = trained.state().parameters();
    List<String> zooNames = zoo.stream().map(NamedTensor::name).toList();
    assertEquals(List.of("dense_0/kernel", "dense_0/bias", "dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias"), zooNames);
    assertEquals(zooNames, m.layout().tensors().stream().map(ParameterTensor::name).toList(),
        "imported parameter names and order (graph order) differ from the zoo's construction order");
    assertEquals(trained.state().parameterCount(), m.dimension());
    double[] theta = m.theta();
    for (ParameterTensor t : m.layout().tensors()) {
      NamedTensor z = zoo.stream().filter(x -> x.name().equals(t.name())).findFirst().orElseThrow();
      assertArrayEquals(z.shape(), t.shape(), t.name());
      float[] imported = new float[z.values().length];
      for (int i = 0; i < imported.length; i++) {
        double x = theta[(int) t.offset() + i];
        imported[i] = (float) x;
        assertEquals(x, (double) imported[i], 0.0, t.name() + "[" + i + "] is not a float32 value");
      }
      // assertArrayEquals on float[] compares floatToIntBits: bit for bit.
      assertArrayEquals(z.values(), imported, t.name());
    }
    // The trained weights differ from the initial ones (training ran; the test is not vacuous).
    assertTrue(trained.train().accuracy() > 0.5, "train accuracy " + trained.train().accuracy());

    // Logits: the imported float32 function graph vs the zoo's serving graph, same batches.
    float[] served;
    try (InferenceModel serving = InferenceModel.of(trained)) {
      served = serving.logits(train, 50);
    }
    double[][] imported;
    try (CurvatureGraph g = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(train, 50, m.precision())) {
      imported = g.logits(data);
    }
    float[] flat = new float[served.length];
    for (int i = 0; i < imported.length; i++) {
      for (int c = 0; c < 4; c++) {
        flat[i * 4 + c] = (float) imported[i][c];
        assertEquals(imported[i][c], (double) flat[i * 4 + c], 0.0);
      }
    }
    assertArrayEquals(served, flat, "imported float32 logits differ from the served logits");

    // Float64: Hess v against central differences of the gradient, with no ReLU crossing.
    ModelDefinition m64 = SavedModelImporter.load(dir, SavedModelImporter.Options.defaults().withPrecision(Precision.FLOAT64));
    assertEquals(Precision.FLOAT64, m64.precision());
    assertArrayEquals(theta, m64.theta());
    double[] v = new Random(3).doubles(m64.dimension(), -1, 1).toArray();
    double h = 1e-5;
    int flips = reluFlips(m64, train, v, h);
    try (CurvatureGraph g = new CurvatureGraph(m64, Loss.CROSS_ENTROPY, m64.layout(), SessionSettings.defaults());
        BatchedData data = BatchedData.of(train, 32, m64.precision())) {
      double[] hv = g.apply(CurvatureOperator.HESSIAN, v, data);
      double[] fd1 = CurvatureNumerics.finiteDifferenceHv(g, data, m64.theta(), v, h);
      double[] fd4 = CurvatureNumerics.finiteDifferenceHv(g, data, m64.theta(), v, h / 4);
      double e1 = CurvatureNumerics.relativeError(fd1, hv);
      double e4 = CurvatureNumerics.relativeError(fd4, hv);
      System.out.printf("zoo MLP p=%d: imported bit-exact; float64 Hess v vs FD: h %.3g, h/4 %.3g, ReLU flips %d; %.1f s%n",
          m64.dimension(), e1, e4, flips, (System.nanoTime() - t0) / 1e9);
      assertEquals(0, flips, "a ReLU pre-activation changes sign within theta +- h v");
      // One smooth piece (no flips): truncation O(h^2) ~ 1e-10, rounding ~ 1e-16 / h ~ 1e-11.
      assertTrue(e1 < 1e-6, "Hess v vs FD(h): " + e1);
      assertTrue(e4 < 1e-6, "Hess v vs FD(h/4): " + e4);

      // Hess v = G v + H v on the imported graph (three separate float64 product graphs).
      double[] gv = g.apply(CurvatureOperator.GAUSS_NEWTON, v, data);
      double[] rv = g.apply(CurvatureOperator.RESIDUAL_HESSIAN, v, data);
      double[] sum = new double[gv.length];
      for (int i = 0; i < sum.length; i++) {
        sum[i] = gv[i] + rv[i];
      }
      double split = CurvatureNumerics.relativeError(sum, hv);
      // The same float64 quantity by two routes: rounding ~1e-16 relative; 1e-10 bound.
      assertTrue(split < 1e-10, "Hess v vs G v + H v: " + split);

      // The float32 import (the default) gives the same product up to float32 rounding.
      try (CurvatureGraph g32 = new CurvatureGraph(m, Loss.CROSS_ENTROPY, m.layout(), SessionSettings.defaults());
          BatchedData d32 = BatchedData.of(train, 32, m.precision())) {
        double e32 = CurvatureNumerics.relativeError(g32.apply(CurvatureOperator.HESSIAN, v, d32), hv);
        System.out.printf("zoo MLP: Hess v vs G v + H v %.3g; float32 vs float64 Hess v %.3g%n", split, e32);
        // float32 rounding (6e-8) through three layers and sums of 100 examples: ~1e-7 expected; 1e-5 bound.
        assertTrue(e32 < 1e-5, "float32 vs float64 Hess v: " + e32);
      }
    }
  }

  /**
   * Sign changes of every Relu input of the imported float64 graph between theta and theta +- h v
   * (and +- h/4 v): each Relu input is read out through a copy of the model whose output is that tensor.
   */
  static int reluFlips(ModelDefinition m, Dataset train, double[] v, double h) {
    List<String> preActivations = new ArrayList<>();
    for (NodeDef n : m.graph().getNodeList()) {
      if (n.getOp().equals("Relu")) {
        String in = n.getInput(0);
        preActivations.add(in.contains(":") ? in : in + ":0");
      }
    }
    assertEquals(2, preActivations.size(), "Relu ops in the imported graph: " + preActivations);
    int flips = 0;
    for (String t : preActivations) {
      ModelDefinition probe = new ModelDefinition(m.source(), m.graph(), m.inputTensor(), t, m.outputKind(), m.precision(), m.layout(),
          m.theta(), m.exampleShape(), 10);
      try (CurvatureGraph g = new CurvatureGraph(probe, Loss.CROSS_ENTROPY, probe.layout(), SessionSettings.defaults());
          BatchedData data = BatchedData.of(train, 100, Precision.FLOAT64)) {
        double[][] at = g.logits(data);
        for (double step : new double[] {h, -h, h / 4, -h / 4}) {
          double[] moved = m.theta().clone();
          for (int i = 0; i < moved.length; i++) {
            moved[i] += step * v[i];
          }
          g.setTheta(moved);
          double[][] z = g.logits(data);
          for (int i = 0; i < at.length; i++) {
            for (int j = 0; j < at[i].length; j++) {
              if (Math.signum(at[i][j]) != Math.signum(z[i][j])) {
                flips++;
              }
            }
          }
        }
      }
    }
    return flips;
  }
}
