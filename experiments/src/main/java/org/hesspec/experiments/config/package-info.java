/**
 * The experiment file: parsing, {@code --set} overrides, sweeps, defaults and validation.
 *
 * <p>Entry point: {@link org.hesspec.experiments.config.ExperimentLoader#load(java.nio.file.Path,
 * java.util.List)} returns one validated {@link org.hesspec.experiments.config.ExperimentConfig}
 * per sweep point, or throws a {@link org.hesspec.experiments.config.ConfigException} that lists
 * every problem as {@code file:line: key.path: message}. TensorFlow checks of the SavedModel
 * (signature, input and output keys) come in through {@link
 * org.hesspec.experiments.config.ModelChecker}.
 *
 * <p>Pipeline, one class per step: {@code YamlReader} (snakeyaml-engine node API, YAML 1.2 core
 * schema, every value with its line; duplicate keys rejected) → {@code Overrides} ({@code --set},
 * values read as YAML) → {@code SweepPlan} (Cartesian product of the sweep axes) → {@code
 * ExperimentBinder} with {@code ModelBinder}, {@code DataBinder} and {@code AnalysesBinder}
 * (types, ranges, enums, unknown keys with edit-distance suggestions, files on disk) → records.
 *
 * <p>Defaults (docs/experiment-file.md lists them all):
 *
 * <ul>
 *   <li>{@code name}: the experiment file name without extension; {@code seed}: 0;
 *       {@code batch_size}: 1000; {@code product_cache_mb}: 1024; {@code operators}: [hessian, G, H]; {@code splits}: [train].
 *   <li>{@code analyses} absent: only {@code density}; a listed analysis with no options uses
 *       density {iterations 128, runs 10, grid 1024, kernel_width auto, scales [linear, log],
 *       reorthogonalize false}, top_eigen {k 20, iterations auto, reorthogonalize true}, trace
 *       {method hutchpp, samples 100}, exact {max_parameters 4000}, class_structure {levels: all
 *       four}.
 *   <li>{@code model.parameters} absent: one group {@code all} ({@code .*}); a single mapping is
 *       a group named {@code selected}; list groups without a name are {@code group1, group2, ...}.
 *   <li>{@code model.train}: hidden [512, 512] (mlp only), activation relu, width_multiplier 1,
 *       optimizer sgd, learning_rate 0.01, momentum 0.9, weight_decay 5e-4, epochs 20,
 *       batch_size 128, schedule step, no target_train_accuracy.
 *   <li>{@code data.dir}: /usr/share/datasets/{fashion-mnist, mnist, cifar10}; gaussian-mixture
 *       classes 10, dims 100, separation 3.0 (per_class required); csv label_column
 *       {@code label}; standardize and pad_to_32_rgb false.
 * </ul>
 *
 * <p>{@code per_class} is a positive integer, {@code all}, or a list with one count per class
 * (an imbalanced subsample). A sweep point's label is the value itself for one axis, and
 * {@code key=value} pairs joined by {@code ;} for several.
 */
package org.hesspec.experiments.config;
