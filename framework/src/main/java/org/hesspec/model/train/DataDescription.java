package org.hesspec.model.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hesspec.data.Dataset;

/**
 * What a model was trained or evaluated on, as recorded in its metadata.
 *
 * @param name the data set's provenance
 * @param examples n
 * @param exampleShape shape of one example
 * @param numClasses C
 * @param classCounts n_c per class
 */
public record DataDescription(String name, int examples, List<Integer> exampleShape, int numClasses, List<Integer> classCounts) {

  public DataDescription {
    exampleShape = List.copyOf(exampleShape);
    classCounts = List.copyOf(classCounts);
  }

  public static DataDescription of(Dataset d) {
    return new DataDescription(d.name(), d.size(), Arrays.stream(d.exampleShape()).boxed().toList(), d.numClasses(),
        Arrays.stream(d.classCounts()).boxed().toList());
  }

  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("examples", examples);
    m.put("example_shape", exampleShape);
    m.put("classes", numClasses);
    m.put("class_counts", classCounts);
    return m;
  }
}
