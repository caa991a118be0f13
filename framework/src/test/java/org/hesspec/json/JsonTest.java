package org.hesspec.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one JSON writer and reader: run.json, hesspec-model.json and the resolved experiment. */
class JsonTest {

  private enum Operator { G }

  @Test
  void escapesStrings() {
    assertEquals("\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u2028é\"\n", Json.write("a\"b\\c\n\t\r\b\f\u0001\u2028é"));
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
    m.put("enum", Operator.G);
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
        }
        """, Json.write(m));
  }

  @Test
  void escapesAndNestsWithNonFiniteAsNull() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "a \"b\"\n\\");
    m.put("nan", Double.NaN);
    m.put("list", List.of(1, 2.5, true));
    m.put("nested", List.of(Map.of("k", 1)));
    m.put("none", null);
    String json = Json.writeNonFiniteAsNull(m);
    assertEquals("{\n  \"name\": \"a \\\"b\\\"\\n\\\\\",\n  \"nan\": null,\n  \"list\": [1, 2.5, true],\n"
        + "  \"nested\": [\n    {\n      \"k\": 1\n    }\n  ],\n  \"none\": null\n}\n", json);
    assertEquals("null\n", Json.writeNonFiniteAsNull(Double.NaN));
    assertEquals("[null, null]\n", Json.writeNonFiniteAsNull(List.of(Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)));
  }

  @Test
  void rejectsNonFiniteNumbers() {
    assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("x", Double.NaN)));
    assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.POSITIVE_INFINITY)));
    assertThrows(IllegalArgumentException.class, () -> Json.write(Float.NaN));
  }

  @Test
  void roundTrips() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("s", "a \"quoted\"\n\\ λ \u2028 \u0001");
    value.put("n", 3L);
    value.put("d", 0.30000000000000004);
    value.put("list", List.of(true, false, Map.of()));
    value.put("nothing", null);
    assertEquals(value, Json.parse(Json.write(value)));
  }

  /**
   * A stored run.json is compared as text with the experiment written afresh (resume): numbers
   * must come back as they were written, 7 as 7 and 0.05 as 0.05, whether int, long, float or
   * double.
   */
  @Test
  void writeParseWriteGivesTheSameText() {
    Map<String, Object> train = new LinkedHashMap<>();
    train.put("epochs", 7);
    train.put("batch_size", 128L);
    train.put("lr", 0.05);
    train.put("momentum", 0.9f);
    train.put("weight_decay", 5e-4);
    train.put("tiny", 1.0E-12f);
    train.put("scale", 1.0);
    train.put("big", 1e300);
    train.put("negative", -3);
    train.put("minus_zero", -0.0);
    train.put("seed", Long.MAX_VALUE);
    train.put("hidden", List.of(64, 32));
    train.put("kernel_width", "auto");
    train.put("target", null);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", "fmnist \"mlp\"");
    config.put("model", Map.of("train", train));
    config.put("sweep", Map.of("model.train.lr", List.of(0.01, 0.1, 1)));
    config.put("groups", List.of(Map.of("name", "all", "include", List.of("*")), List.of()));
    config.put("path", Path.of("/data/x.npy"));
    config.put("flags", new ArrayList<>(Arrays.asList(true, null, false)));

    String written = Json.write(config);
    Object parsed = Json.parse(written);
    assertEquals(written, Json.write(parsed));
    assertEquals(written, Json.writeNonFiniteAsNull(parsed));
    @SuppressWarnings("unchecked")
    Map<String, Object> parsedTrain = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) parsed)
        .get("model")).get("train");
    assertEquals(7L, parsedTrain.get("epochs"));
    assertEquals(0.05, parsedTrain.get("lr"));
    assertEquals(0.9, parsedTrain.get("momentum"));
  }

  @Test
  void parseReadsWhatOthersWrite() {
    assertEquals(Map.of("a", List.of(1L, -2.5, 1.0E5, "\u00e9/\"")),
        Json.parse(" {\"a\" : [1,-2.5, 1e5, \"\\u00e9\\/\\\"\"]} "));
  }

  @Test
  void parseRejectsMalformedText() {
    for (String bad : List.of("", "{", "{\"status\": \"complete\"", "[1,]", "{} x", "NaN", "-Infinity", "\"a\\",
        "\"\\u12\"", "\"\\uzzzz\"", "\"\\q\"", "tru", "1.2.3", "99999999999999999999")) {
      assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
    }
  }
}
