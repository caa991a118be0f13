package org.hesspec.model.train;

import java.time.Duration;

/**
 * Progress after one epoch.
 *
 * @param epoch 1-based epoch just finished
 * @param epochs the epoch budget
 * @param batchLoss mean training-mode loss over the epoch's mini-batches
 * @param train loss and accuracy on the whole training set in inference mode, or null when this
 *     epoch was not evaluated
 * @param learningRate the rate of the epoch's last step
 * @param elapsed time since training started
 * @param eta estimated time until the budget ends (training may stop earlier at its target)
 */
public record EpochReport(int epoch, int epochs, double batchLoss, Metrics train, double learningRate, Duration elapsed, Duration eta) {}
