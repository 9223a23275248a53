package io.mlops.maven;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;

/** A Mojo log that keeps what the goal printed ({@code WARN }, {@code ERROR } prefixes) for assertions. */
final class MavenLogLines extends SystemStreamLog {
  final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void info(CharSequence content) {
    lines.add(content.toString());
  }

  @Override
  public void warn(CharSequence content) {
    lines.add("WARN " + content);
  }

  @Override
  public void error(CharSequence content) {
    lines.add("ERROR " + content);
  }
}
