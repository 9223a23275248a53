package io.mlops.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mlops.api.MlopsException;
import io.mlops.internal.config.DvcConfig;
import io.mlops.internal.hash.Tree;
import io.mlops.internal.ignore.DvcIgnore;
import io.mlops.internal.pipeline.DvcFile;
import io.mlops.internal.pipeline.Lockfile;
import io.mlops.internal.pipeline.ParamsFile;
import io.mlops.internal.pipeline.PipelineParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Coverage-guided fuzzing of every parser of repository files (Jazzer): whatever the bytes, a parser either
 * returns or throws {@link MlopsException}, the one exception users see as a clear line; any other exception, a
 * hang or running out of memory is a finding.
 *
 * <p>In a normal build each target replays its inputs under {@code src/test/resources/io/mlops/fuzz/
 * ParserFuzzTestInputs/<target>/} (the checked-in regression corpus). {@code scripts/fuzz.sh [seconds]} fuzzes each
 * target for a while ({@code JAZZER_FUZZ=1}); new findings land in that directory and become regression inputs.
 */
class ParserFuzzTest {
  private static final Path DIR = scratch();

  private static Path scratch() {
    try {
      Path d = Files.createTempDirectory("mlops-fuzz");
      Files.createDirectories(d.resolve(".dvc"));
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(String name, byte[] data) {
    try {
      Path p = DIR.resolve(name);
      Files.write(p, data);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a parse; only {@link MlopsException} may escape, everything else is rethrown as a finding. */
  private static void parse(Runnable r) {
    try {
      r.run();
    } catch (MlopsException expected) {
      if (expected.getMessage() == null || expected.getMessage().isBlank()) {
        throw new AssertionError("an MlopsException without a message", expected);
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void dvcYaml(byte[] data) {
    Path f = write("dvc.yaml", data);
    parse(() -> PipelineParser.parse(DIR, f));
  }

  @FuzzTest(maxDuration = "30s")
  void dvcLock(byte[] data) {
    Path f = write("dvc.lock", data);
    parse(() -> {
      Lockfile lock = Lockfile.load(f);
      for (String name : new String[] {"train", "prepare", "s"}) {
        lock.get(name);
      }
      lock.toYaml();
    });
  }

  @FuzzTest(maxDuration = "30s")
  void dvcFile(byte[] data) {
    Path f = write("data.dvc", data);
    parse(() -> {
      DvcFile d = DvcFile.load(f, "data.dvc");
      d.outs();
      d.toYaml();
    });
  }

  @FuzzTest(maxDuration = "30s")
  void dirManifest(byte[] data) {
    parse(() -> Tree.parse(data, "md5", "fuzz.dir").toBytes());
  }

  @FuzzTest(maxDuration = "30s")
  void paramsFile(byte[] data) {
    String[] kinds = {"params.yaml", "params.json", "params.toml", "params.py"};
    String name = kinds[data.length == 0 ? 0 : (data[0] & 0xff) % kinds.length];
    Path f = write(name, data);
    parse(() -> ParamsFile.read(f));
  }

  @FuzzTest(maxDuration = "30s")
  void dvcConfig(byte[] data) {
    write(".dvc/config", data);
    parse(() -> {
      DvcConfig c = DvcConfig.load(DIR.resolve(".dvc"), Map.of());
      c.remoteNames().forEach(c::remote);
      c.defaultRemote();
    });
  }

  @FuzzTest(maxDuration = "30s")
  void dvcIgnore(byte[] data) {
    write(".dvcignore", data);
    parse(() -> {
      DvcIgnore ignore = new DvcIgnore(DIR);
      ignore.isIgnored("data/raw/file.csv", false);
      ignore.isIgnored("data/raw", true);
      ignore.isIgnored(".dvc/tmp", true);
    });
  }
}
