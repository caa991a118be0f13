package org.hesspec.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void escapesStrings() {
    assertEquals("\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u2028é\"", Json.write("a\"b\\c\n\t\r\b\f\u0001\u2028é"));
  }

  @Test
  void writesPlainNumbersAndNesting() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", 3L);
    m.put("a", 0.5);
    m.put("tiny", 1e-4);
    m.put("flag", true);
    m.put("none", null);
    m.put("list", List.of(1, 2));
    m.put("mixed", Arrays.asList(Map.of("k", "v"), List.of()));
    m.put("empty", Map.of());
    m.put("path", Path.of("/tmp/x"));
    m.put("enum", ExperimentConfig.Operator.G);
    assertEquals("""
        {
          "z": 3,
          "a": 0.5,
          "tiny": 1.0E-4,
          "flag": true,
          "none": null,
          "list": [1, 2],
          "mixed": [
            {
              "k": "v"
            },
            []
          ],
          "empty": {},
          "path": "/tmp/x",
          "enum": "G"
        }""", Json.write(m));
  }

  @Test
  void rejectsNonFiniteNumbers() {
    assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("x", Double.NaN)));
    assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.POSITIVE_INFINITY)));
  }
}
