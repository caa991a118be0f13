package org.hesspec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {

  @TempDir Path dir;

  private Path csv(String content) throws IOException {
    Path f = dir.resolve("data.csv");
    Files.writeString(f, content);
    return f;
  }

  @Test
  void labelAnywhereAndAllOtherColumnsAsFeatures() throws IOException {
    Path f = csv("a,label,b\n1.5,2,-3\n0,0,1e-3\n4, 1 ,5\n");
    Dataset d = CsvDataset.load(f, "label", null, 0);
    assertEquals(3, d.size());
    assertArrayEquals(new int[] {2}, d.exampleShape());
    assertArrayEquals(new int[] {2, 0, 1}, d.labels());
    assertArrayEquals(new float[] {1.5f, -3, 0, 1e-3f, 4, 5}, d.features());
    assertEquals(3, d.numClasses());
  }

  @Test
  void listedFeatureColumnsInListedOrder() throws IOException {
    Path f = csv("id,x1,x2,y\n7,1,2,0\n8,3,4,1\n");
    Dataset d = CsvDataset.load(f, "y", List.of("x2", "x1"), 4);
    assertArrayEquals(new float[] {2, 1, 4, 3}, d.features());
    assertEquals(4, d.numClasses());
  }

  @Test
  void unparseableCellNamesRowAndColumn() throws IOException {
    Path f = csv("x1,x2,y\n1,2,0\n3,abc,1\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.load(f, "y", null, 0));
    assertTrue(e.getMessage().contains(f + ": data row 2, column 'x2': 'abc' is not a number"), e.getMessage());
    Path g = csv("x1,x2,y\n1,2,0\n3,4,one\n");
    DataFormatException el = assertThrows(DataFormatException.class, () -> CsvDataset.load(g, "y", null, 0));
    assertTrue(el.getMessage().contains("data row 2, column 'y': 'one' is not an integer label"), el.getMessage());
    Path h = csv("x1,y\nNaN,0\n");
    DataFormatException en = assertThrows(DataFormatException.class, () -> CsvDataset.load(h, "y", null, 0));
    assertTrue(en.getMessage().contains("not a finite number"), en.getMessage());
  }

  @Test
  void structuralErrors() throws IOException {
    Path missingLabel = csv("x1,x2\n1,2\n");
    DataFormatException e1 = assertThrows(DataFormatException.class, () -> CsvDataset.load(missingLabel, "y", null, 0));
    assertTrue(e1.getMessage().contains("no label column 'y' in the header [x1, x2]"), e1.getMessage());
    Path ragged = csv("x1,x2,y\n1,2,0\n3,1\n");
    DataFormatException e2 = assertThrows(DataFormatException.class, () -> CsvDataset.load(ragged, "y", null, 0));
    assertTrue(e2.getMessage().contains("data row 2 has 2 cells, the header has 3"), e2.getMessage());
    Path empty = csv("");
    DataFormatException e3 = assertThrows(DataFormatException.class, () -> CsvDataset.load(empty, "y", null, 0));
    assertTrue(e3.getMessage().contains("no header row"), e3.getMessage());
    Path headerOnly = csv("x,y\n");
    DataFormatException e4 = assertThrows(DataFormatException.class, () -> CsvDataset.load(headerOnly, "y", null, 0));
    assertTrue(e4.getMessage().contains("no data rows"), e4.getMessage());
    Path f = csv("x,y\n1,0\n");
    DataFormatException e5 = assertThrows(DataFormatException.class, () -> CsvDataset.load(f, "y", List.of("z"), 0));
    assertTrue(e5.getMessage().contains("no feature column 'z'"), e5.getMessage());
    Path neg = csv("x,y\n1,-2\n");
    DataFormatException e6 = assertThrows(DataFormatException.class, () -> CsvDataset.load(neg, "y", null, 0));
    assertTrue(e6.getMessage().contains("label -2 of example 0 is negative"), e6.getMessage());
    Path dup = csv("x,x,y\n1,2,0\n");
    DataFormatException e7 = assertThrows(DataFormatException.class, () -> CsvDataset.load(dup, "y", null, 0));
    assertTrue(e7.getMessage().contains("bad header row"), e7.getMessage());
  }

  @Test
  void missingFile() {
    DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.load(dir.resolve("no.csv"), "y", null, 0));
    assertTrue(e.getMessage().endsWith("no.csv: file not found"), e.getMessage());
  }
}
