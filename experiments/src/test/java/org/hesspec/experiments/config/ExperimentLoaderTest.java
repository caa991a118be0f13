package org.hesspec.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.hesspec.experiments.config.AnalysesConfig.Level;
import org.hesspec.experiments.config.AnalysesConfig.Scale;
import org.hesspec.experiments.config.AnalysesConfig.TraceMethod;
import org.hesspec.experiments.config.DataConfig.Source;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.model.Precision;
import org.hesspec.data.Split;
import org.hesspec.model.OutputKind;
import org.hesspec.experiments.config.SplitSpec.PerClass;
import org.hesspec.model.zoo.Activation;
import org.hesspec.model.zoo.ReferenceArchitecture;
import org.hesspec.experiments.config.TrainConfig.Schedule;
import org.hesspec.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid files: defaults, every key's value, resolved paths, and the run.json round trip. */
class ExperimentLoaderTest {

  @TempDir Path tmp;

  private ExperimentConfig loadOne(Path file) throws ConfigException {
    List<ExperimentConfig> configs = new ExperimentLoader(Fixture.CHECKER).load(file);
    assertEquals(1, configs.size());
    return configs.get(0);
  }

  @Test
  void minimalFileGetsEveryDefault() throws Exception {
    Fixture fx = new Fixture(tmp);
    ExperimentConfig c = loadOne(fx.write("my-exp.yaml", Fixture.minimal()));
    assertEquals("my-exp", c.name());
    assertEquals(0, c.seed());
    assertEquals(Precision.FLOAT32, c.precision());
    assertEquals(Loss.CROSS_ENTROPY, c.loss());
    assertEquals(1000, c.batchSize());
    assertEquals(1024, c.productCacheMb());
    assertEquals(List.of(CurvatureOperator.HESSIAN, CurvatureOperator.GAUSS_NEWTON, CurvatureOperator.RESIDUAL_HESSIAN), c.operators());
    assertEquals(List.of(Split.TRAIN), c.splits());
    assertEquals(tmp.resolve("my-exp.yaml").toAbsolutePath(), c.file());

    ModelConfig m = c.model();
    assertEquals(tmp.resolve("savedmodels/fmnist-mlp").toAbsolutePath().normalize(), m.savedModel());
    assertEquals("serving_default", m.signature());
    // The fake checker's signature has one input and one output: the defaults pick them.
    assertEquals(Optional.of("x"), m.input());
    assertEquals(Optional.of("logits"), m.output());
    assertEquals(OutputKind.LOGITS, m.outputKind());
    assertEquals(List.of(new ParameterGroup("all", List.of(".*"))), m.parameters());
    assertTrue(m.parameters().get(0).matches("dense/kernel:0"));
    assertEquals(Optional.empty(), m.train());

    DataConfig d = c.data();
    assertEquals(Source.FASHION_MNIST, d.source());
    assertEquals(Optional.of(tmp.resolve("datasets/fashion-mnist").toAbsolutePath().normalize()), d.dir());
    assertEquals(new PerClass.All(), d.train().perClass());
    assertEquals(Optional.empty(), d.test());
    assertFalse(d.standardize());
    assertFalse(d.padTo32Rgb());

    assertEquals(AnalysesBinder.defaults(), c.analyses());
    AnalysesConfig.Density density = c.analyses().density().orElseThrow();
    assertEquals(128, density.iterations());
    assertEquals(10, density.runs());
    assertEquals(1024, density.grid());
    assertEquals(OptionalDouble.empty(), density.kernelWidth());
    assertEquals(List.of(Scale.LINEAR, Scale.LOG), density.scales());
    assertEquals(Optional.empty(), c.cluster());
    assertTrue(c.sweep().isEmpty());
    assertEquals("none", c.sweepValue());
  }

  @Test
  void clusterDevicesAreReadInCanonicalForm() throws Exception {
    Fixture fx = new Fixture(tmp);
    ExperimentConfig listed = loadOne(fx.write("d.yaml", Fixture.minimal() + "cluster: {devices: [GPU:0, gpu:1]}\n"));
    assertEquals(new ClusterConfig(List.of(), List.of("gpu:0", "gpu:1")), listed.cluster().orElseThrow());
    assertEquals(Map.of("devices", List.of("gpu:0", "gpu:1")), listed.cluster().orElseThrow().toMap());
    ExperimentConfig all = loadOne(fx.write("g.yaml", Fixture.minimal() + "cluster: {devices: gpus}\n"));
    assertEquals(List.of(ClusterConfig.ALL_GPUS), all.cluster().orElseThrow().devices());
    assertEquals(Map.of("devices", "gpus"), all.cluster().orElseThrow().toMap());
  }

  @Test
  void missingOrUnreadableFileIsAConfigError() {
    ConfigException absent = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> new ExperimentLoader().load(tmp.resolve("nope.yaml")));
    assertEquals(tmp.resolve("nope.yaml") + ": experiment file not found", absent.getMessage());
    ConfigException folder = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> new ExperimentLoader().load(tmp));
    Errs.contains(folder.getMessage(), "cannot read the file");
  }

  @Test
  void withoutCheckerInputAndOutputStayUnresolved() throws Exception {
    Fixture fx = new Fixture(tmp);
    ExperimentConfig c = new ExperimentLoader().load(fx.write("e.yaml", Fixture.minimal())).get(0);
    assertEquals(Optional.empty(), c.model().input());
    assertEquals(Optional.empty(), c.model().output());
  }

  @Test
  void fullFileReadsEveryKey() throws Exception {
    Fixture fx = new Fixture(tmp);
    List<ExperimentConfig> points =
        new ExperimentLoader(Fixture.CHECKER).load(fx.write("full.yaml", Fixture.resource("full.yaml")));
    assertEquals(3, points.size());
    ExperimentConfig c = points.get(1);
    assertEquals("fmnist-mlp-full", c.name());
    assertEquals(7, c.seed());
    assertEquals(Precision.FLOAT64, c.precision());
    assertEquals(500, c.batchSize());
    assertEquals(List.of(Split.TRAIN, Split.TEST), c.splits());

    ModelConfig m = c.model();
    assertEquals(OutputKind.LOG_PROBABILITIES, m.outputKind());
    assertEquals(List.of(new ParameterGroup("first", List.of("dense/.*", "dense_1/kernel")),
        new ParameterGroup("group2", List.of("dense_2/.*"))), m.parameters());
    assertTrue(m.perGroup());
    assertTrue(m.parameters().get(0).matches("dense_1/kernel"));
    assertFalse(m.parameters().get(0).matches("dense_1/bias"));
    TrainConfig t = m.train().orElseThrow();
    assertEquals(new TrainConfig(ReferenceArchitecture.MLP, List.of(256, 128), Activation.TANH, 2.0, TrainConfig.Optimizer.SGD,
        0.05, 0.8, 1e-4, 30, 64, Schedule.COSINE, OptionalDouble.of(0.999)), t);

    DataConfig d = c.data();
    assertEquals(new PerClass.Uniform(51), d.train().perClass());
    assertEquals(new PerClass.Uniform(100), d.test().orElseThrow().perClass());
    assertTrue(d.standardize());
    assertTrue(d.padTo32Rgb());

    AnalysesConfig a = c.analyses();
    assertEquals(new AnalysesConfig.Density(64, 5, 512, OptionalDouble.of(0.01), List.of(Scale.LINEAR, Scale.LOG), true),
        a.density().orElseThrow());
    assertEquals(new AnalysesConfig.TopEigen(30, org.hesspec.spectral.TopEigenConfig.Which.BOTH_ENDS, OptionalInt.of(90),
        OptionalDouble.of(1e-6), OptionalInt.of(900)), a.topEigen().orElseThrow());
    assertEquals(new AnalysesConfig.Trace(TraceMethod.HUTCHINSON, 50), a.trace().orElseThrow());
    assertEquals(new AnalysesConfig.Exact(3000), a.exact().orElseThrow());
    assertEquals(List.of(Level.values()), a.classStructure().orElseThrow().levels());
    assertEquals(List.of(new ClusterConfig.Worker("node1", 7070), new ClusterConfig.Worker("10.0.0.2", 7071)),
        c.cluster().orElseThrow().workers());
    assertEquals(List.of(new SweepConfig.Axis("data.train.per_class", List.of(10L, 51L, 506L))), c.sweep().axes());
    assertEquals(List.of("10", "51", "506"), points.stream().map(ExperimentConfig::sweepValue).toList());
  }

  @Test
  void otherSourcesReadTheirKeys() throws Exception {
    Fixture fx = new Fixture(tmp);
    ExperimentConfig npy = loadOne(fx.write("npy.yaml", Fixture.npy()));
    SplitSpec.NpyFiles files = (SplitSpec.NpyFiles) npy.data().train().files().orElseThrow();
    assertEquals(tmp.resolve("data/x.npy").toAbsolutePath().normalize(), files.x());
    assertEquals(Optional.of(tmp.resolve("data/y.npy").toAbsolutePath().normalize()), files.y());
    assertEquals(Optional.empty(), files.t());
    assertEquals(Optional.empty(), npy.data().dir());

    ExperimentConfig mse = loadOne(fx.write("mse.yaml", Fixture.npyRegression()));
    assertEquals(Loss.MSE, mse.loss());
    assertTrue(((SplitSpec.NpyFiles) mse.data().train().files().orElseThrow()).t().isPresent());
    assertEquals(new AnalysesConfig.Trace(TraceMethod.HUTCHPP, 100), mse.analyses().trace().orElseThrow());
    assertEquals(Optional.empty(), mse.analyses().density());
    // `t` is an alias of the documented key `targets`: the same config, written back as `targets`.
    ExperimentConfig alias = loadOne(fx.write("mse-alias.yaml", Fixture.npyRegression().replace("targets: data/t.npy", "t: data/t.npy")));
    assertEquals(mse.data(), alias.data());
    assertTrue(org.hesspec.json.Json.write(mse.toMap()).contains("\"targets\""));

    ExperimentConfig csv = loadOne(fx.write("csv.yaml", Fixture.csv()));
    assertEquals(new SplitSpec.CsvFile(tmp.resolve("data/train.csv").toAbsolutePath().normalize(), "digit"),
        csv.data().train().files().orElseThrow());
    assertEquals("label", ((SplitSpec.CsvFile) csv.data().test().orElseThrow().files().orElseThrow()).labelColumn());

    ExperimentConfig gmm = loadOne(fx.write("gmm.yaml", Fixture.mixture()));
    assertEquals(Optional.of(new DataConfig.MixtureConfig(4, 20, 2.5)), gmm.data().mixture());
    assertEquals(new PerClass.Counts(List.of(10, 20, 30, 40)), gmm.data().train().perClass());
    // The SavedModel folder does not exist: allowed because model.train says how to make it.
    assertEquals(new TrainConfig(ReferenceArchitecture.MLP, List.of(64), Activation.RELU, 1.0, TrainConfig.Optimizer.SGD,
        0.01, 0.9, 5e-4, 5, 128, Schedule.STEP, OptionalDouble.empty()), gmm.model().train().orElseThrow());
    assertEquals(List.of(Level.values()), gmm.analyses().classStructure().orElseThrow().levels());
  }

  /**
   * Every key round-trips: the resolved config, written as run.json and read back as an
   * experiment file, gives the same configs (sweep points included); parsed and written again it
   * is the same text.
   */
  @Test
  void resolvedConfigRoundTripsThroughJson() throws Exception {
    Fixture fx = new Fixture(tmp);
    Map<String, String> files = Map.of("full.yaml", Fixture.resource("full.yaml"), "npy.yaml", Fixture.npy(),
        "mse.yaml", Fixture.npyRegression(), "csv.yaml", Fixture.csv(), "gmm.yaml", Fixture.mixture(),
        "min.yaml", Fixture.minimal());
    ExperimentLoader loader = new ExperimentLoader(Fixture.CHECKER);
    for (Map.Entry<String, String> f : files.entrySet()) {
      List<ExperimentConfig> original = loader.load(fx.write(f.getKey(), f.getValue()));
      String json = Json.write(original.get(0).toMap());
      // Resume compares run.json's stored experiment with the fresh one as written text.
      assertEquals(json, Json.write(Json.parse(json)), f.getKey() + " changed when parsed and written again");
      // Same folder and file name, so that file-derived values (the default name) agree.
      Path again = fx.write(f.getKey(), json);
      // Compared as maps: keys the loader filled in from the model are declared in the JSON.
      assertEquals(original.stream().map(ExperimentConfig::toMap).toList(),
          loader.load(again).stream().map(ExperimentConfig::toMap).toList(), f.getKey() + " did not round-trip:\n" + json);
    }
  }

  /**
   * What --resume compares: the declared experiment leaves out the input and output keys the
   * loader read from the model's signature (they appear once a run has trained its model), and
   * keeps those the file declares.
   */
  @Test
  void declaredMapLeavesOutWhatWasReadFromTheModel() throws Exception {
    Fixture fx = new Fixture(tmp);
    ExperimentLoader loader = new ExperimentLoader(Fixture.CHECKER);
    ExperimentConfig min = loader.load(fx.write("min.yaml", Fixture.minimal())).get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> resolved = (Map<String, Object>) min.toMap().get("model");
    @SuppressWarnings("unchecked")
    Map<String, Object> declared = (Map<String, Object>) min.declaredMap().get("model");
    assertEquals("x", resolved.get("input"));
    assertEquals("logits", resolved.get("output"));
    assertTrue(!declared.containsKey("input") && !declared.containsKey("output"), declared.toString());
    // Without a checker (a model that does not exist yet) the declared form is the same.
    ExperimentConfig unchecked = new ExperimentLoader().load(fx.write("min.yaml", Fixture.minimal())).get(0);
    assertEquals(Json.write(unchecked.declaredMap()), Json.write(min.declaredMap()));
    ExperimentConfig full = loader.load(fx.write("full.yaml", Fixture.resource("full.yaml"))).get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> fullDeclared = (Map<String, Object>) full.declaredMap().get("model");
    assertEquals("x", fullDeclared.get("input"));
    assertEquals(Json.write(full.toMap()), Json.write(full.declaredMap()));
  }

  @Test
  void toMapUsesTheFileKeys() throws Exception {
    Fixture fx = new Fixture(tmp);
    ExperimentConfig c = new ExperimentLoader(Fixture.CHECKER)
        .load(fx.write("full.yaml", Fixture.resource("full.yaml"))).get(0);
    Map<String, Object> m = c.toMap();
    assertEquals(List.of("name", "seed", "precision", "model", "data", "loss", "batch_size", "product_cache_mb", "operators",
        "splits", "analyses", "cluster", "sweep"), List.copyOf(m.keySet()));
    assertEquals(1024, m.get("product_cache_mb"));
    assertEquals(List.of("hessian", "G", "H"), m.get("operators"));
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) m.get("data");
    assertEquals(Map.of("per_class", 10), data.get("train"));
    assertEquals(Map.of("data.train.per_class", List.of(10L, 51L, 506L)), m.get("sweep"));
  }
}
