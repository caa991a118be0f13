package org.hesspec.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Reads a classification data set from a CSV file (RFC 4180, comma-separated, UTF-8).
 *
 * <p>The first row is a header naming the columns. One column holds integer class labels
 * ({@code >= 0}); the features are the listed columns, in the listed order, or else every other
 * column in file order. Each example has shape {@code [number of features]}. Cells are parsed as
 * decimal numbers; an empty, non-numeric or non-finite cell is an error that names its data row
 * (1 = the first row after the header) and column.
 */
public final class CsvDataset {

  private CsvDataset() {}

  /**
   * Reads {@code file}.
   *
   * @param labelColumn the header name of the label column
   * @param featureColumns header names of the feature columns, or null/empty for all others
   * @param numClasses C, or 0 to use the largest label plus one
   */
  public static Dataset load(Path file, String labelColumn, List<String> featureColumns, int numClasses) {
    if (!Files.exists(file)) {
      throw new DataFormatException(file, "file not found");
    }
    CSVFormat format = CSVFormat.DEFAULT.builder()
        .setHeader()
        .setSkipHeaderRecord(true)
        .setIgnoreSurroundingSpaces(true)
        .setIgnoreEmptyLines(true)
        // A repeated column name would make the label or a feature ambiguous.
        .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
        .get();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser parser = parse(file, format, reader)) {
      Map<String, Integer> header = parser.getHeaderMap();
      if (header == null || header.isEmpty()) {
        throw new DataFormatException(file, "no header row (the first row must name the columns)");
      }
      List<String> names = parser.getHeaderNames();
      Integer labelIndex = header.get(labelColumn);
      if (labelIndex == null) {
        throw new DataFormatException(file, "no label column '" + labelColumn + "' in the header " + names);
      }
      List<String> featureNames = new ArrayList<>();
      if (featureColumns == null || featureColumns.isEmpty()) {
        for (String h : names) {
          if (!h.equals(labelColumn)) {
            featureNames.add(h);
          }
        }
      } else {
        for (String h : featureColumns) {
          if (!header.containsKey(h)) {
            throw new DataFormatException(file, "no feature column '" + h + "' in the header " + names);
          }
          featureNames.add(h);
        }
      }
      if (featureNames.isEmpty()) {
        throw new DataFormatException(file, "no feature columns besides the label column '" + labelColumn + "'");
      }
      int[] featureIndex = featureNames.stream().mapToInt(header::get).toArray();
      int d = featureIndex.length;

      FloatList features = new FloatList();
      List<Integer> labels = new ArrayList<>();
      int row = 0;
      for (CSVRecord rec : parser) {
        row++;
        if (rec.size() != names.size()) {
          throw new DataFormatException(file, "data row " + row + " has " + rec.size() + " cells, the header has " + names.size());
        }
        labels.add(parseLabel(file, row, labelColumn, rec.get(labelIndex)));
        for (int j = 0; j < d; j++) {
          features.add(parseFeature(file, row, featureNames.get(j), rec.get(featureIndex[j])));
        }
      }
      if (row == 0) {
        throw new DataFormatException(file, "no data rows after the header");
      }
      int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
      int classes = NpyDataset.checkLabels(file, y, numClasses);
      return Dataset.classification("csv:" + file.getFileName(), features.toArray(), new int[] {d}, y, classes);
    } catch (IOException | UncheckedIOException e) {
      throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
    }
  }

  private static CSVParser parse(Path file, CSVFormat format, Reader reader) throws IOException {
    try {
      return CSVParser.builder().setReader(reader).setFormat(format).get();
    } catch (IllegalArgumentException e) {
      // commons-csv rejects duplicate header names this way.
      throw new DataFormatException(file, "bad header row: " + e.getMessage(), e);
    }
  }

  private static int parseLabel(Path file, int row, String column, String cell) {
    try {
      return Integer.parseInt(cell);
    } catch (NumberFormatException e) {
      throw new DataFormatException(file, "data row " + row + ", column '" + column + "': '" + cell + "' is not an integer label");
    }
  }

  private static float parseFeature(Path file, int row, String column, String cell) {
    float v;
    try {
      v = Float.parseFloat(cell);
    } catch (NumberFormatException e) {
      throw new DataFormatException(file, "data row " + row + ", column '" + column + "': '" + cell + "' is not a number");
    }
    if (!Float.isFinite(v)) {
      throw new DataFormatException(file, "data row " + row + ", column '" + column + "': '" + cell + "' is not a finite number");
    }
    return v;
  }

  /** A growable float array, so large files do not box every value. */
  private static final class FloatList {
    private float[] a = new float[1024];
    private int n;

    void add(float v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, a.length * 2);
      }
      a[n++] = v;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }
}
