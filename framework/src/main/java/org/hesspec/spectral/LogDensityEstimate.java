package org.hesspec.spectral;

/**
 * The density of {@code log10 |lambda|}, separately for the positive and the negative eigenvalues
 * (Papyan 2019 plots deepnet Hessian spectra this way: their structure spans many decades).
 *
 * <p>{@code positive[i]} is the density of {@code log10 lambda} over the eigenvalues {@code lambda
 * > floor} at {@code x[i]}, scaled to integrate to {@code massPositive}, their share of all
 * eigenvalues; {@code negative} likewise for {@code log10(-lambda)}, {@code lambda < -floor}. The
 * remaining share {@code massZero} lies in {@code [-floor, floor]}. So {@code massPositive +
 * massNegative + massZero = 1}.
 *
 * @param steps the Lanczos steps M of the underlying runs
 * @param runs the number of runs K
 * @param seed the seed of the underlying estimate
 * @param floor the threshold below which |lambda| counts as zero
 * @param kernelWidth the kernel's standard deviation, in decades
 * @param x the grid of {@code log10 |lambda|}
 * @param positive the density of the positive part on the grid
 * @param negative the density of the negative part on the grid
 * @param massPositive the share of eigenvalues above {@code floor}
 * @param massNegative the share below {@code -floor}
 * @param massZero the share within {@code [-floor, floor]}
 */
public record LogDensityEstimate(
    int steps,
    int runs,
    long seed,
    double floor,
    double kernelWidth,
    double[] x,
    double[] positive,
    double[] negative,
    double massPositive,
    double massNegative,
    double massZero) {}
