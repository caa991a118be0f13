/**
 * Spectral estimation for symmetric operators known only through matrix-vector products.
 *
 * <p>The methods follow Papyan, "Measuring the spectrum of deepnet Hessians" (2019) and "The full
 * spectrum of deepnet Hessians at scale" (2020): {@link org.hesspec.spectral.Lanczos} (the plain
 * three-term recurrence, the paper's FASTLANCZOS, or with full reorthogonalisation), the
 * {@link org.hesspec.spectral.TridiagonalEigen Golub-Welsch} eigensolver for the Lanczos matrix,
 * {@link org.hesspec.spectral.SpectralDensity stochastic Lanczos quadrature} on a linear and a
 * {@link org.hesspec.spectral.LogSpectralDensity logarithmic} scale, {@link
 * org.hesspec.spectral.TopEigen top eigenpairs}, trace estimation by {@link
 * org.hesspec.spectral.Hutchinson} and {@link org.hesspec.spectral.HutchPlusPlus Hutch++}, and the
 * {@link org.hesspec.spectral.DenseSpectrum exact dense} reference for small operators.
 *
 * <p>Every estimate is a record that carries its parameters (steps, runs, kernel width, seed,
 * bounds) next to its numbers. All randomness is seeded; the same seed gives the same numbers bit
 * for bit, whatever the number of worker threads.
 */
package org.hesspec.spectral;
