package io.mlops.internal.repro;

import io.mlops.api.MlopsException;
import io.mlops.internal.pipeline.DvcFile;
import io.mlops.internal.pipeline.OutDef;
import io.mlops.internal.pipeline.ParamsDep;
import io.mlops.internal.pipeline.StageDef;
import io.mlops.internal.util.PathUtil;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A node of the pipeline graph: a dvc.yaml stage or a {@code .dvc} data source, with its paths resolved
 * relative to the repository root.
 */
public final class Stage {
  /** An output with its repository-relative path. */
  public record Out(OutDef def, String repoPath) {}

  private final StageDef def;
  private final DvcFile dvcFile;
  private final String wdir;
  private final List<String> deps;
  private final List<Out> outs;

  private Stage(StageDef def, DvcFile dvcFile, String wdir, List<String> deps, List<Out> outs) {
    this.def = def;
    this.dvcFile = dvcFile;
    this.wdir = wdir;
    this.deps = deps;
    this.outs = outs;
  }

  public static Stage of(StageDef def, Path repoRoot) {
    String dir = parentOf(def.dvcfile());
    String wdir = PathUtil.join(dir, def.wdir() == null ? "." : def.wdir());
    Path file = repoRoot.resolve(def.dvcfile());
    if (wdir == null) {
      throw new MlopsException(
          "stage '" + def.name() + "': wdir '" + def.wdir() + "' leaves the repository", file, def.line(), null);
    }
    List<String> deps = new ArrayList<>();
    for (String d : def.deps()) {
      deps.add(resolve(wdir, d, def, file));
    }
    List<Out> outs = new ArrayList<>();
    for (OutDef o : def.outs()) {
      outs.add(new Out(o, resolve(wdir, o.path(), def, file)));
    }
    return new Stage(def, null, wdir, deps, outs);
  }

  public static Stage of(DvcFile file) {
    String dir = parentOf(file.relFile());
    List<Out> outs = new ArrayList<>();
    var locked = file.outs();
    for (int i = 0; i < locked.size(); i++) {
      String p = locked.get(i).path();
      String repoPath = PathUtil.join(dir, p);
      OutDef od = new OutDef(p, OutDef.Kind.OUT, file.cached(i), false, file.pushable(i), file.remote(i), null,
          java.util.Map.of());
      outs.add(new Out(od, repoPath));
    }
    return new Stage(null, file, dir, List.of(), outs);
  }

  private static String resolve(String wdir, String p, StageDef def, Path file) {
    if (p.startsWith("/") || p.contains("://")) {
      throw new MlopsException(
          "stage '" + def.name() + "': path '" + p + "' is absolute or remote",
          file,
          def.line(),
          "use a path relative to the stage's wdir inside the repository");
    }
    String r = PathUtil.join(wdir, p);
    if (r == null) {
      throw new MlopsException(
          "stage '" + def.name() + "': path '" + p + "' leaves the repository",
          file,
          def.line(),
          "keep dependencies and outputs inside the repository");
    }
    return r;
  }

  static String parentOf(String relFile) {
    int slash = relFile.lastIndexOf('/');
    return slash < 0 ? "." : relFile.substring(0, slash);
  }

  public boolean isDataSource() {
    return def == null;
  }

  public StageDef def() {
    return def;
  }

  public DvcFile dvcFile() {
    return dvcFile;
  }

  /** Repository-relative working directory. */
  public String wdir() {
    return wdir;
  }

  /** Repository-relative dependency paths, in declaration order (aligned with {@code def().deps()}). */
  public List<String> deps() {
    return deps;
  }

  public List<Out> outs() {
    return outs;
  }

  public List<ParamsDep> params() {
    return def == null ? List.of() : def.params();
  }

  public boolean frozen() {
    return def != null ? def.frozen() : dvcFile.frozen();
  }

  /** The name DVC prints: a stage address, or the .dvc file path. */
  public String address() {
    return def != null ? def.address() : dvcFile.relFile();
  }

  /** A stable identity: {@code dvcfile:name} or the .dvc path. */
  public String id() {
    return def != null ? def.dvcfile() + ":" + def.name() : dvcFile.relFile();
  }

  @Override
  public String toString() {
    return address();
  }
}
