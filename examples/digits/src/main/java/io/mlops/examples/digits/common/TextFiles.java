package io.mlops.examples.digits.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes text outputs as UTF-8 with {@code \n} line ends, whatever the platform. */
public final class TextFiles {
  private TextFiles() {}

  public static void write(Path file, CharSequence text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
