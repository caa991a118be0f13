package org.hesspec.model.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.hesspec.model.zoo.Architecture;

/**
 * Exports a network with given values as a SavedModel that follows hesspec's contract: tag
 * {@code serve}, signature {@code serving_default} with input {@code x} and output {@code logits},
 * only the inference graph (see {@link InferenceModel}), and {@code hesspec-model.json} beside it.
 *
 * <p>Atomic: everything is written into a hidden temporary folder next to the target and then
 * moved into place, so a reader never sees a half-written model.
 */
public final class SavedModelExporter {

  private final boolean replaceExisting;

  /** An exporter that refuses to overwrite an existing folder. */
  public SavedModelExporter() {
    this(false);
  }

  /** @param replaceExisting whether an existing target folder is replaced (after the new one is complete) */
  public SavedModelExporter(boolean replaceExisting) {
    this.replaceExisting = replaceExisting;
  }

  /** Exports a trained model to {@code dir}; returns {@code dir}. */
  public Path export(TrainedModel model, Path dir) throws IOException {
    return export(model.architecture(), model.state(), ModelMetadata.of(model), dir);
  }

  /** Exports {@code arch} holding {@code state}, with the given metadata, to {@code dir}. */
  public Path export(Architecture arch, ModelState state, ModelMetadata metadata, Path dir) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target) && !replaceExisting) {
      throw new FileAlreadyExistsException(target.toString(), null, "a SavedModel folder already exists there");
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    try {
      try (InferenceModel m = InferenceModel.of(arch, state)) {
        m.writeSavedModel(tmp);
      }
      Files.writeString(tmp.resolve(ModelMetadata.FILE_NAME), metadata.toJson(), StandardCharsets.UTF_8);
      if (Files.exists(target)) {
        // Move the old model aside first: a directory cannot be atomically replaced by a rename.
        Path old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
        Files.delete(old);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        InferenceModel.deleteTree(old);
      } else {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
      return target;
    } finally {
      InferenceModel.deleteTree(tmp);
    }
  }
}
