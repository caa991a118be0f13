package org.hesspec.spectral;

/** How a Lanczos run keeps its basis orthogonal. */
public enum Reorthogonalization {
  /**
   * The plain three-term recurrence (Papyan 2019's FASTLANCZOS): O(p) memory, three vectors. The
   * basis loses orthogonality once Ritz values converge, which duplicates converged Ritz values
   * ("ghosts") but leaves the Gauss quadrature of the start vector's spectral measure accurate
   * (Greenbaum 1989; Knizhnerman 1996), so it is the default for densities.
   */
  NONE,
  /**
   * Every new vector is orthogonalised against all previous ones (classical Gram-Schmidt, twice).
   * Keeps all M basis vectors (O(M p) memory, O(M^2 p) extra work); the default for eigenpairs,
   * whose Ritz vectors need the basis anyway.
   */
  FULL
}
