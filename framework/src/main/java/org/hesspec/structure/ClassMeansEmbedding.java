package org.hesspec.structure;

/**
 * The C class means {@code delta_c} and the C^2 means {@code d_{c,c'}} of the gradients in the
 * plane, as the talk shows them: classical MDS and t-SNE (van der Maaten and Hinton 2008) of the C
 * + C^2 points, both from their Gram matrix {@code A K A^T}, where K is the Gram matrix of the C^2
 * means ({@link ClassMeans#gram}), row c of A averages the {@code d_{c,c'}} with {@code c' != c}
 * (that is {@code delta_c}), and row C + (c C + c') picks {@code d_{c,c'}}: no p-vector is needed.
 * Points are ordered as the rows of A.
 *
 * @param gram {@code A K A^T}, (C + C^2) x (C + C^2)
 * @param mds the classical MDS embedding in 2 dimensions
 * @param tsne the t-SNE embedding
 * @param tsneOptions the options t-SNE ran with (its seed among them)
 */
public record ClassMeansEmbedding(double[][] gram, ClassicalMds.Embedding mds, Tsne.Embedding tsne, Tsne.Options tsneOptions) {

  /** Both embeddings of the means whose Gram matrix is {@code k} (C^2 x C^2), t-SNE seeded with {@code tsneSeed}. */
  public static ClassMeansEmbedding of(double[][] k, int c, long tsneSeed) {
    int n = c + c * c;
    double[][] a = new double[n][c * c];
    for (int x = 0; x < c; x++) {
      for (int x2 = 0; x2 < c; x2++) {
        if (x2 != x && c > 1) {
          a[x][x * c + x2] = 1.0 / (c - 1);
        }
      }
    }
    for (int x = 0; x < c * c; x++) {
      a[c + x][x] = 1;
    }
    double[][] gram = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double s = 0;
        for (int p = 0; p < c * c; p++) {
          if (a[i][p] == 0) {
            continue;
          }
          for (int q = 0; q < c * c; q++) {
            if (a[j][q] != 0) {
              s += a[i][p] * k[p][q] * a[j][q];
            }
          }
        }
        gram[i][j] = s;
        gram[j][i] = s;
      }
    }
    ClassicalMds.Embedding mds = ClassicalMds.fromGram(gram, 2);
    Tsne.Options options = Tsne.Options.DEFAULTS.withSeed(tsneSeed);
    Tsne.Embedding tsne = Tsne.embed(Tsne.squaredDistancesFromGram(gram), options);
    return new ClassMeansEmbedding(gram, mds, tsne, options);
  }
}
