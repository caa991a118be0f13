package org.hesspec.model.train;

import java.time.Duration;
import org.hesspec.model.zoo.Architecture;

/**
 * The outcome of {@link Trainer#train}: the trained values and how they were obtained.
 *
 * @param architecture the network
 * @param state trained parameters and batch-norm statistics
 * @param config the training settings (seed included)
 * @param trainData the training set
 * @param testData the evaluation set, or null
 * @param epochsRun epochs actually run (at most the budget)
 * @param reachedTarget whether the training accuracy reached the target before the budget ended
 * @param train final loss and accuracy on the training set (inference mode)
 * @param test final loss and accuracy on the test set, or null
 * @param duration wall-clock training time, evaluations included
 */
public record TrainedModel(
    Architecture architecture,
    ModelState state,
    TrainingConfig config,
    DataDescription trainData,
    DataDescription testData,
    int epochsRun,
    boolean reachedTarget,
    Metrics train,
    Metrics test,
    Duration duration) {}
