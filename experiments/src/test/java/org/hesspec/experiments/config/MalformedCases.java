package org.hesspec.experiments.config;

import static org.hesspec.experiments.config.MalformedCase.edit;
import static org.hesspec.experiments.config.MalformedCase.of;

import java.util.ArrayList;
import java.util.List;

/** Hand-written malformed experiment files, each one mistake in an otherwise valid file. */
final class MalformedCases {

  private MalformedCases() {}

  static final String FULL = Fixture.resource("full.yaml");
  static final String MIN = Fixture.minimal();

  /** The minimal file with lines added to its {@code data} mapping. */
  static String minData(String lines) {
    return edit(MIN, "  dir: datasets/fashion-mnist\n", "  dir: datasets/fashion-mnist\n" + lines);
  }

  static List<MalformedCase> all() {
    List<MalformedCase> c = new ArrayList<>();
    // Whole-file problems.
    c.add(of("empty-file", "", "", "the file is empty").atLine(1));
    c.add(of("only-comments", "# nothing here\n", "", "the file is empty").atLine(1));
    c.add(of("top-level-list", "- model\n- data\n", "", "must be a mapping of keys (name:, model:, data:, ...), found a list").atLine(1));
    c.add(of("top-level-scalar", "just some text\n", "", "found the string").atLine(1));
    c.add(of("syntax-unclosed-list", edit(FULL, "operators: [hessian, G, H]", "operators: [hessian, G, H"), "",
        "YAML syntax error"));
    c.add(of("syntax-tab-indent", edit(MIN, "  savedmodel:", "\tsavedmodel:"), "", "YAML syntax error").atLine(2));
    c.add(of("syntax-nested-colon", "name: a: b\n" + MIN, "", "YAML syntax error").atLine(1));
    c.add(of("two-documents", MIN + "---\nseed: 1\n", "", "YAML"));
    c.add(of("recursive-alias", MIN + "seed: &s [*s]\n", "seed[0]", "recursive alias").atLine(6));
    c.add(of("non-scalar-key", MIN + "[a, b]: 1\n", "", "a key must be a plain name").atLine(6));
    c.add(of("unsupported-tag", MIN + "seed: !!binary aGVsbG8=\n", "seed", "unsupported YAML tag").atLine(6));
    c.add(of("duplicate-top-level", MIN + "seed: 1\nseed: 2\n", "seed", "duplicate key 'seed' (first given on line 6)")
        .atLine(7));
    c.add(of("duplicate-nested", edit(FULL, "    runs: 5\n", "    runs: 5\n    runs: 6\n"), "analyses.density.runs",
        "duplicate key"));
    // Missing required keys.
    c.add(of("missing-model", "data:\n  source: fashion-mnist\n  dir: datasets/fashion-mnist\n", "model",
        "missing required key"));
    c.add(of("missing-data", "model:\n  savedmodel: savedmodels/fmnist-mlp\n", "data", "missing required key"));
    c.add(of("missing-savedmodel", edit(MIN, "savedmodel: savedmodels/fmnist-mlp", "signature: serving_default"),
        "model.savedmodel", "missing required key").atLine(2));
    c.add(of("missing-source", edit(MIN, "  source: fashion-mnist\n", ""), "data.source", "missing required key"));
    c.add(of("missing-architecture", edit(FULL, "    architecture: mlp\n", ""), "model.train.architecture",
        "missing required key"));
    c.add(of("missing-workers", edit(FULL, "  workers: [\"node1:7070\", \"10.0.0.2:7071\"]", "  {}"),
        "cluster.workers", "missing required key"));
    // Files and folders.
    c.add(of("savedmodel-absent", edit(MIN, "savedmodels/fmnist-mlp", "savedmodels/nope"), "model.savedmodel",
        "does not exist (give model.train").atLine(2));
    c.add(of("savedmodel-not-a-model", edit(MIN, "savedmodels/fmnist-mlp", "savedmodels/not-a-model"),
        "model.savedmodel", "has no saved_model.pb"));
    c.add(of("savedmodel-is-a-file", edit(MIN, "savedmodels/fmnist-mlp", "data/x.npy"), "model.savedmodel",
        "is a file, not a folder"));
    c.add(of("data-dir-absent", edit(MIN, "datasets/fashion-mnist", "datasets/nothing"), "data.dir",
        "does not exist").atLine(5));
    c.add(of("npy-x-absent", edit(Fixture.npy(), "x: data/x.npy", "x: data/nope.npy"), "data.train.x",
        "does not exist"));
    c.add(of("npy-y-is-folder", edit(Fixture.npy(), "y: data/y.npy", "y: data"), "data.train.y", "is a folder"));
    c.add(of("csv-file-absent", edit(Fixture.csv(), "file: data/train.csv", "file: data/nope.csv"),
        "data.train.file", "does not exist"));
    // Model checks through the fake ModelChecker.
    c.add(of("wrong-signature", edit(FULL, "signature: serving_default", "signature: serve_default"),
        "model.signature", "no signature 'serve_default'; its signatures are predict_proba, serving_default; "
            + "did you mean 'serving_default'?").atLine(11));
    c.add(of("wrong-input", edit(FULL, "input: x", "input: images"), "model.input", "its inputs are x"));
    c.add(of("wrong-output", edit(FULL, "output: logits", "output: probs"), "model.output", "its outputs are logits"));
    c.add(of("ambiguous-input", MIN, "model.input", "has 2 inputs (mask, x); name one with model.input")
        .atLine(2).withSet("model.signature=predict_proba"));
    // Negative and zero sizes.
    c.add(of("negative-seed", MIN + "seed: -3\n", "seed", "must be at least 0, found -3").atLine(6));
    c.add(of("huge-seed", MIN + "seed: 100000000000000000000\n", "seed", "must be at most"));
    c.add(of("zero-batch-size", edit(FULL, "batch_size: 500", "batch_size: 0"), "batch_size", "at least 1"));
    c.add(of("negative-product-cache", edit(FULL, "batch_size: 500", "batch_size: 500\nproduct_cache_mb: -1"), "product_cache_mb",
        "at least 0"));
    c.add(of("zero-runs", edit(FULL, "    runs: 5", "    runs: 0"), "analyses.density.runs", "at least 1"));
    c.add(of("one-iteration", edit(FULL, "    iterations: 64", "    iterations: 1"), "analyses.density.iterations",
        "at least 2"));
    c.add(of("zero-grid", edit(FULL, "    grid: 512", "    grid: 0"), "analyses.density.grid", "at least 2"));
    c.add(of("zero-k", edit(FULL, "    k: 30", "    k: 0"), "analyses.top_eigen.k", "at least 1"));
    c.add(of("iterations-below-k", edit(FULL, "    iterations: 90", "    iterations: 10"),
        "analyses.top_eigen.iterations", "need at least 61, found 10"));
    c.add(of("iterations-below-k-one-end", edit(edit(FULL, "    iterations: 90", "    iterations: 30"), "which: both_ends",
        "which: smallest"), "analyses.top_eigen.iterations", "need at least 31, found 30"));
    c.add(of("unknown-which", edit(FULL, "which: both_ends", "which: lowest"), "analyses.top_eigen.which",
        "unknown value 'lowest'; valid values are largest, smallest, both_ends, magnitude"));
    c.add(of("zero-tolerance", edit(FULL, "tolerance: 1e-6", "tolerance: 0"), "analyses.top_eigen.tolerance",
        "greater than 0"));
    c.add(of("tolerance-one", edit(FULL, "tolerance: 1e-6", "tolerance: 1"), "analyses.top_eigen.tolerance",
        "must be less than 1"));
    c.add(of("text-tolerance", edit(FULL, "tolerance: 1e-6", "tolerance: tight"), "analyses.top_eigen.tolerance",
        "a number"));
    c.add(of("max-products-below-basis", edit(FULL, "max_products: 900", "max_products: 89"),
        "analyses.top_eigen.max_products", "at least the basis size 90"));
    c.add(of("max-products-below-auto-basis",
        edit(edit(FULL, "max_products: 900", "max_products: 40"), "    iterations: 90\n", ""),
        "analyses.top_eigen.max_products", "at least the basis size 121"));
    c.add(of("top-eigen-without-reorthogonalization", edit(FULL, "max_products: 900", "max_products: 900\n    reorthogonalize: false"),
        "analyses.top_eigen.reorthogonalize", "always reorthogonalises fully"));
    c.add(of("zero-samples", edit(FULL, "    samples: 50", "    samples: 0"), "analyses.trace.samples", "at least 1"));
    // the limits are the framework's (TraceConfig, HutchPlusPlus): validate rejects what a run would
    c.add(of("hutchpp-three-samples",
        edit(edit(FULL, "    samples: 50", "    samples: 3"), "method: hutchinson", "method: hutchpp"),
        "analyses.trace.samples", "hutchpp: Hutch++ needs samples >= 4"));
    c.add(of("hutchinson-one-sample", edit(FULL, "    samples: 50", "    samples: 1"),
        "analyses.trace.samples", "hutchinson: samples must be >= 2"));
    c.add(of("zero-exact", edit(FULL, "max_parameters: 3000", "max_parameters: 0"),
        "analyses.exact.max_parameters", "at least 1"));
    c.add(of("huge-exact", edit(FULL, "max_parameters: 3000", "max_parameters: 100000"),
        "analyses.exact.max_parameters", "at most 50000"));
    c.add(of("zero-kernel-width", edit(FULL, "kernel_width: 0.01", "kernel_width: 0"),
        "analyses.density.kernel_width", "greater than 0"));
    c.add(of("negative-kernel-width", edit(FULL, "kernel_width: 0.01", "kernel_width: -1e-2"),
        "analyses.density.kernel_width", "greater than 0, found -1e-2"));
    c.add(of("infinite-kernel-width", edit(FULL, "kernel_width: 0.01", "kernel_width: .inf"),
        "analyses.density.kernel_width", "finite"));
    c.add(of("word-kernel-width", edit(FULL, "kernel_width: 0.01", "kernel_width: wide"),
        "analyses.density.kernel_width", "expected auto or a positive number"));
    c.add(of("zero-per-class", minData("  train: {per_class: 0}\n"), "data.train.per_class", "at least 1"));
    c.add(of("too-many-per-class", minData("  train: {per_class: 7000}\n"), "data.train.per_class",
        "fashion-mnist has only 6000 training examples per class"));
    c.add(of("too-many-test-per-class", minData("  test: {per_class: 2000}\n"), "data.test.per_class",
        "only 1000 test examples per class"));
    c.add(of("word-per-class", minData("  train: {per_class: many}\n"), "data.train.per_class",
        "expected a positive integer, all, or a list"));
    c.add(of("counts-wrong-length", minData("  train: {per_class: [1, 2, 3]}\n"), "data.train.per_class",
        "10 counts, found 3"));
    c.add(of("zero-epochs", edit(FULL, "epochs: 30", "epochs: 0"), "model.train.epochs", "at least 1"));
    c.add(of("zero-learning-rate", edit(FULL, "learning_rate: 0.05", "learning_rate: 0"),
        "model.train.learning_rate", "greater than 0"));
    c.add(of("negative-width", edit(FULL, "width_multiplier: 2", "width_multiplier: -1"),
        "model.train.width_multiplier", "greater than 0"));
    c.add(of("momentum-one", edit(FULL, "momentum: 0.8", "momentum: 1.0"), "model.train.momentum", "less than 1"));
    c.add(of("negative-weight-decay", edit(FULL, "weight_decay: 0.0001", "weight_decay: -0.1"),
        "model.train.weight_decay", "at least 0"));
    c.add(of("accuracy-in-percent", edit(FULL, "target_train_accuracy: 0.999", "target_train_accuracy: 99"),
        "model.train.target_train_accuracy", "at most 1"));
    c.add(of("zero-accuracy", edit(FULL, "target_train_accuracy: 0.999", "target_train_accuracy: 0"),
        "model.train.target_train_accuracy", "greater than 0"));
    c.add(of("zero-hidden-width", edit(FULL, "hidden: [256, 128]", "hidden: [256, 0]"), "model.train.hidden[1]",
        "at least 1"));
    // Empty lists.
    c.add(of("empty-hidden", edit(FULL, "hidden: [256, 128]", "hidden: []"), "model.train.hidden",
        "must not be an empty list"));
    c.add(of("empty-operators", edit(FULL, "operators: [hessian, G, H]", "operators: []"), "operators",
        "must not be an empty list"));
    c.add(of("empty-splits", MIN + "splits: []\n", "splits", "must not be an empty list"));
    c.add(of("empty-scales", edit(FULL, "scales: [linear, log]", "scales: []"), "analyses.density.scales",
        "must not be an empty list"));
    c.add(of("empty-workers", edit(FULL, "workers: [\"node1:7070\", \"10.0.0.2:7071\"]", "workers: []"),
        "cluster.workers", "must not be an empty list"));
    c.add(of("empty-parameters", edit(MIN, "  savedmodel: savedmodels/fmnist-mlp\n",
        "  savedmodel: savedmodels/fmnist-mlp\n  parameters: []\n"), "model.parameters", "must not be an empty list"));
    c.add(of("empty-analyses", MIN + "analyses: {}\n", "analyses", "lists no analysis"));
    // Duplicates.
    c.add(of("duplicate-operator", edit(FULL, "operators: [hessian, G, H]", "operators: [G, H, G]"), "operators[2]",
        "duplicate entry G"));
    c.add(of("duplicate-worker", edit(FULL, "\"10.0.0.2:7071\"", "\"node1:7070\""), "cluster.workers[1]",
        "duplicate entry"));
    c.add(of("workers-and-devices", edit(FULL, "  workers: [\"node1:7070\", \"10.0.0.2:7071\"]",
        "  workers: [\"node1:7070\"]\n  devices: [gpu:0]"), "cluster.devices", "not both"));
    c.add(of("device-kind", edit(FULL, "  workers: [\"node1:7070\", \"10.0.0.2:7071\"]", "  devices: [gpu:0, tpu:1]"),
        "cluster.devices[1]", "expected gpu:N or cpu:N, found 'tpu:1'"));
    c.add(of("devices-word", edit(FULL, "  workers: [\"node1:7070\", \"10.0.0.2:7071\"]", "  devices: all"),
        "cluster.devices", "expected 'gpus'"));
    c.add(of("duplicate-device", edit(FULL, "  workers: [\"node1:7070\", \"10.0.0.2:7071\"]", "  devices: [gpu:1, GPU:1]"),
        "cluster.devices[1]", "duplicate entry"));
    c.add(of("duplicate-group-name", edit(FULL, "- {include: [\"dense_2/.*\"]}", "- {name: first, include: [b]}"),
        "model.parameters[1].name", "duplicate group name 'first'"));
    // Unknown enum values, with the valid ones listed.
    c.add(of("bad-operator", edit(FULL, "operators: [hessian, G, H]", "operators: [hessian, X]"), "operators[1]",
        "unknown value 'X'; valid values are hessian, G, H"));
    c.add(of("lowercase-operator", edit(FULL, "operators: [hessian, G, H]", "operators: [g]"), "operators[0]",
        "did you mean 'G'?"));
    c.add(of("bad-split", MIN + "splits: [validation]\n", "splits[0]", "valid values are train, test"));
    c.add(of("bad-scale", edit(FULL, "scales: [linear, log]", "scales: [linear, cubic]"), "analyses.density.scales[1]",
        "valid values are linear, log"));
    c.add(of("bad-precision", edit(FULL, "precision: float64", "precision: float16"), "precision",
        "valid values are float32, float64"));
    c.add(of("bad-loss", edit(FULL, "loss: cross_entropy", "loss: hinge"), "loss", "valid values are cross_entropy, mse"));
    c.add(of("bad-output-kind", edit(FULL, "output_kind: log_probabilities", "output_kind: softmax"),
        "model.output_kind", "valid values are logits, probabilities, log_probabilities"));
    c.add(of("bad-architecture", edit(FULL, "architecture: mlp", "architecture: alexnet"),
        "model.train.architecture", "valid values are mlp, lenet, vgg11, vgg11_bn, resnet18"));
    c.add(of("bad-activation", edit(FULL, "activation: tanh", "activation: gelu"), "model.train.activation",
        "valid values are relu, tanh"));
    c.add(of("bad-optimizer", edit(FULL, "optimizer: sgd", "optimizer: adam"), "model.train.optimizer",
        "valid values are sgd"));
    c.add(of("bad-schedule", edit(FULL, "schedule: cosine", "schedule: linear"), "model.train.schedule",
        "valid values are constant, step, cosine"));
    c.add(of("bad-trace-method", edit(FULL, "method: hutchinson", "method: exact"), "analyses.trace.method",
        "valid values are hutchinson, hutchpp"));
    c.add(of("bad-source", edit(FULL, "source: fashion-mnist", "source: imagenet"), "data.source",
        "valid values are fashion-mnist, mnist-idx, cifar10, npy, csv, gaussian-mixture"));
    c.add(of("typo-source", edit(FULL, "source: fashion-mnist", "source: fashion_mnist"), "data.source",
        "did you mean 'fashion-mnist'?"));
    c.add(of("bad-level", edit(FULL, "levels: [self_means, class_means, cross_class, means, within]", "levels: [between]"),
        "analyses.class_structure.levels[0]", "valid values are self_means, class_means, cross_class, means, within"));
    c.add(of("null-precision", MIN + "precision:\n", "precision", "found an empty value"));
    // Wrong types.
    c.add(of("quoted-seed", MIN + "seed: \"7\"\n", "seed", "expected an integer, found the string '7'"));
    c.add(of("fractional-runs", edit(FULL, "    runs: 5", "    runs: 10.5"), "analyses.density.runs",
        "expected an integer, found the number 10.5"));
    c.add(of("scalar-splits", MIN + "splits: train\n", "splits", "expected a list, found the string 'train' (write [train])"));
    c.add(of("list-model", "model: [a]\n" + MIN.substring(MIN.indexOf("data:")), "model", "expected a mapping"));
    c.add(of("empty-savedmodel", edit(MIN, "savedmodel: savedmodels/fmnist-mlp", "savedmodel: ''"), "model.savedmodel",
        "must not be empty"));
    c.add(of("string-parameters", edit(MIN, "  savedmodel: savedmodels/fmnist-mlp\n",
        "  savedmodel: savedmodels/fmnist-mlp\n  parameters: dense\n"), "model.parameters", "expected {include"));
    c.add(of("bad-regex", edit(FULL, "\"dense_1/kernel\"", "\"dense_1/(kernel\""), "model.parameters[0].include[1]",
        "invalid regular expression"));
    c.add(of("group-without-include", edit(FULL, "- {include: [\"dense_2/.*\"]}", "- {name: second}"),
        "model.parameters[1].include", "missing required key"));
    c.add(of("worker-without-port", edit(FULL, "\"10.0.0.2:7071\"", "\"nohost\""), "cluster.workers[1]",
        "expected host:port"));
    c.add(of("worker-port-range", edit(FULL, "\"10.0.0.2:7071\"", "\"h:99999\""), "cluster.workers[1]",
        "port from 1 to 65535"));
    c.add(of("bad-name", edit(FULL, "name: fmnist-mlp-full", "name: a/b"), "name", "cannot be a folder name").atLine(6));
    c.add(of("typo-top-level", MIN + "seeds: 3\n", "seeds", "unknown key; did you mean 'seed'?").atLine(6));
    // Keys that exist, but not here.
    c.add(of("hidden-for-lenet", edit(FULL, "architecture: mlp", "architecture: lenet"), "model.train.hidden",
        "applies only to architecture mlp"));
    c.add(of("classes-for-fashion-mnist", minData("  classes: 10\n"), "data.classes",
        "applies only to source gaussian-mixture"));
    c.add(of("dir-for-npy", edit(Fixture.npy(), "  source: npy\n", "  source: npy\n  dir: data\n"), "data.dir",
        "applies only to sources fashion-mnist, mnist-idx and cifar10"));
    c.add(of("x-for-fashion-mnist", minData("  train: {x: data/x.npy}\n"), "data.train.x", "applies only to source npy"));
    c.add(of("label-column-for-npy", edit(Fixture.npy(), "per_class: 20}", "per_class: 20, label_column: y}"),
        "data.train.label_column", "applies only to source csv"));
    c.add(of("pad-for-cifar10", "model:\n  savedmodel: savedmodels/fmnist-mlp\ndata:\n  source: cifar10\n"
        + "  dir: datasets/cifar10\n  pad_to_32_rgb: true\n", "data.pad_to_32_rgb", "applies only to the 28x28"));
    c.add(of("class-structure-with-mse", edit(FULL, "loss: cross_entropy", "loss: mse"), "analyses.class_structure",
        "needs loss: cross_entropy"));
    c.add(of("test-split-without-data", MIN + "splits: [train, test]\n", "splits", "data.test is not given"));
    // Source-specific requirements.
    c.add(of("npy-targets-with-cross-entropy", edit(Fixture.npy(), "y: data/y.npy, per_class", "targets: data/t.npy, per_class"),
        "data.train.targets", "regression targets need loss: mse"));
    c.add(of("npy-t-alias-with-cross-entropy", edit(Fixture.npy(), "y: data/y.npy, per_class", "t: data/t.npy, per_class"),
        "data.train.t", "regression targets need loss: mse"));
    c.add(of("npy-targets-and-its-alias-t", edit(Fixture.npyRegression(), "targets: data/t.npy}", "targets: data/t.npy, t: data/t.npy}"),
        "data.train.t", "alias of targets"));
    c.add(of("npy-targets-missing-file", edit(Fixture.npyRegression(), "targets: data/t.npy}", "targets: data/none.npy}"),
        "data.train.targets", "does not exist"));
    c.add(of("npy-without-labels", edit(Fixture.npy(), "y: data/y.npy, per_class", "per_class"), "data.train.y",
        "missing required key"));
    c.add(of("npy-per-class-without-labels", edit(Fixture.npyRegression(), "targets: data/t.npy}", "targets: data/t.npy, per_class: 5}"),
        "data.train.per_class", "needs class labels"));
    c.add(of("csv-without-file", edit(Fixture.csv(), "file: data/train.csv, ", ""), "data.train.file",
        "missing required key"));
    c.add(of("npy-without-train", edit(Fixture.npy(), "  train: {x: data/x.npy, y: data/y.npy, per_class: 20}\n", ""),
        "data.train", "missing required key"));
    c.add(of("mixture-all", edit(Fixture.mixture(), "test: {per_class: 50}", "test: {per_class: all}"),
        "data.test.per_class", "per_class must be a number"));
    c.add(of("mixture-one-class", edit(Fixture.mixture(), "classes: 4", "classes: 1"), "data.classes", "at least 2"));
    c.add(of("mixture-zero-dims", edit(Fixture.mixture(), "dims: 20", "dims: 0"), "data.dims", "at least 1"));
    c.add(of("mixture-negative-separation", edit(Fixture.mixture(), "separation: 2.5", "separation: -1"),
        "data.separation", "at least 0"));
    c.add(of("mixture-counts-length", edit(Fixture.mixture(), "[10, 20, 30, 40]", "[10, 20]"), "data.train.per_class",
        "4 counts, found 2"));
    c.add(of("mixture-test-without-per-class", edit(Fixture.mixture(), "test: {per_class: 50}", "test: {}"),
        "data.test.per_class", "missing required key"));
    // Sweeps.
    c.add(of("sweep-unknown-key", MIN + "sweep:\n  analyses.density.rns: [1, 2]\n", "analyses.density.rns",
        "did you mean 'runs'?").atLine(7));
    c.add(of("sweep-empty-values", MIN + "sweep:\n  seed: []\n", "sweep.seed", "must not be an empty list"));
    c.add(of("sweep-scalar-values", MIN + "sweep:\n  seed: 3\n", "sweep.seed", "expected a list"));
    c.add(of("sweep-duplicate-values", MIN + "sweep:\n  seed: [1, 2, 1]\n", "sweep.seed[2]", "duplicate sweep value 1"));
    c.add(of("sweep-name", MIN + "sweep:\n  name: [a, b]\n", "sweep.name", "name cannot be swept"));
    c.add(of("sweep-empty", MIN + "sweep: {}\n", "sweep", "is empty"));
    c.add(of("sweep-overlap", MIN + "sweep:\n  data.train: [{per_class: 1}]\n  data.train.per_class: [2]\n",
        "sweep.data.train.per_class", "overlaps the sweep key data.train"));
    c.add(of("sweep-through-scalar", MIN + "seed: 1\nsweep:\n  seed.x: [1]\n", "seed.x", "seed is the integer 1"));
    c.add(of("sweep-bad-value", FULL.replace("[10, 51, 506]", "[10, 0]"), "data.train.per_class",
        "at least 1, found 0 [sweep point 0]"));
    return c;
  }
}
