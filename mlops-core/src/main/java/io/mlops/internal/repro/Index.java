package io.mlops.internal.repro;

import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.ignore.DvcIgnore;
import io.mlops.internal.pipeline.DvcFile;
import io.mlops.internal.pipeline.LockEntry;
import io.mlops.internal.pipeline.LockedPath;
import io.mlops.internal.pipeline.Lockfile;
import io.mlops.internal.pipeline.Pipeline;
import io.mlops.internal.pipeline.PipelineParser;
import io.mlops.internal.pipeline.StageDef;
import io.mlops.internal.util.PathUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All stages of a repository (every dvc.yaml and .dvc file) and the graph between them: stage B depends on
 * stage A when one of B's deps equals, contains or lies inside one of A's outs.
 */
public final class Index {
  private final Repo repo;
  private final List<Stage> stages;
  private final Map<String, Lockfile> lockfiles = new LinkedHashMap<>();
  private final Map<Stage, List<Stage>> upstream = new LinkedHashMap<>();
  private final Map<Stage, List<Stage>> downstream = new LinkedHashMap<>();
  private final List<Pipeline> pipelines;

  private Index(Repo repo, List<Stage> stages, List<Pipeline> pipelines) {
    this.repo = repo;
    this.stages = stages;
    this.pipelines = pipelines;
    check();
    buildGraph();
  }

  /** Collects every dvc.yaml and .dvc file of the repository (.dvcignore and .gitignore apply). */
  public static Index load(Repo repo) {
    List<Path> found = new ArrayList<>();
    walk(repo, repo.root(), DvcIgnore.gitignore(repo.root()), found);
    Path root = repo.root();
    List<Stage> stages = new ArrayList<>();
    List<Pipeline> pipelines = new ArrayList<>();
    // DVC's order: its walk's (os.walk, top-down, a directory's files in listing order before its
    // subdirectories), which is the order of status, dag and repro's independent stages
    for (Path f : found) {
      if ("dvc.yaml".equals(f.getFileName().toString())) {
        Pipeline p = PipelineParser.parse(root, f);
        pipelines.add(p);
        for (StageDef d : p.stages()) {
          stages.add(Stage.of(d, root));
        }
      } else {
        stages.add(Stage.of(DvcFile.load(f, repo.relativize(f))));
      }
    }
    return new Index(repo, stages, pipelines);
  }

  /** The repository's dvc.yaml files, sorted (.dvcignore and .gitignore apply; nested repositories are skipped). */
  public static List<Path> pipelineFiles(Repo repo) {
    List<Path> dvcYamls = new ArrayList<>();
    scan(repo, dvcYamls, new ArrayList<>());
    return dvcYamls;
  }

  private static void scan(Repo repo, List<Path> dvcYamls, List<Path> dvcFiles) {
    List<Path> found = new ArrayList<>();
    walk(repo, repo.root(), DvcIgnore.gitignore(repo.root()), found);
    for (Path f : found) {
      ("dvc.yaml".equals(f.getFileName().toString()) ? dvcYamls : dvcFiles).add(f);
    }
    dvcYamls.sort(null);
    dvcFiles.sort(null);
  }

  /**
   * The dvc.yaml and .dvc files under {@code dir} in the order of DVC's walk (Python's {@code os.walk}, top-down):
   * a directory's files in listing order, then each subdirectory in listing order. Ignored directories (by
   * .dvcignore or .gitignore) and nested repositories are skipped.
   */
  private static void walk(Repo repo, Path dir, DvcIgnore git, List<Path> found) {
    List<Path> subdirs = new ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          continue; // gone meanwhile
        }
        String name = p.getFileName().toString();
        if (attrs.isDirectory()) {
          String rel = repo.relativize(p);
          if (!repo.ignore().isIgnored(rel, true) && !git.isIgnored(rel, true)
              && !Files.isDirectory(p.resolve(Repo.DVC_DIR))) {
            subdirs.add(p);
          }
        } else if (attrs.isRegularFile()
            && ("dvc.yaml".equals(name) || (name.endsWith(".dvc") && name.length() > 4))
            && !repo.ignore().isIgnored(repo.relativize(p), false)) {
          found.add(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot scan " + dir, e);
    }
    for (Path d : subdirs) {
      walk(repo, d, git, found);
    }
  }

  public Repo repo() {
    return repo;
  }

  public List<Stage> stages() {
    return stages;
  }

  /** The parsed dvc.yaml files, in load order (their top-level {@code params}, {@code metrics}, {@code plots}). */
  public List<Pipeline> pipelines() {
    return pipelines;
  }

  /** The lock file of a stage's dvc.yaml (cached per file). */
  public Lockfile lockfile(Stage s) {
    String dvcfile = s.def().dvcfile();
    return lockfiles.computeIfAbsent(dvcfile, f -> Lockfile.load(Lockfile.pathFor(repo.resolve(f))));
  }

  /**
   * The stages a command's targets name: every stage when there are none; else each target's stages
   * ({@link #find}), with what they depend on when {@code withUpstream} (status, push, pull, dag) or alone
   * (checkout, commit).
   */
  public List<Stage> select(List<String> targets, boolean withUpstream) {
    if (targets == null || targets.isEmpty()) {
      return stages;
    }
    List<Stage> out = new ArrayList<>();
    for (String t : targets) {
      out.addAll(find(t));
    }
    return withUpstream ? plan(out, false, false) : out;
  }

  /**
   * An output of a stage with what its lock entry (or {@code .dvc} file) records for it.
   *
   * @param out the output as dvc.yaml (or the .dvc file) declares it
   * @param recorded its recorded path, hash and meta
   */
  public record RecordedOut(Stage.Out out, LockedPath recorded) {}

  /**
   * The stage's cached outputs ({@code cache: true}) that have a recorded hash, in declaration order: the one
   * answer to "what content does this stage's output have" for push, fetch, checkout and revisions.
   */
  public List<RecordedOut> cachedOuts(Stage s) {
    Map<String, LockedPath> byPath = new LinkedHashMap<>();
    if (s.isDataSource()) {
      List<LockedPath> outs = s.dvcFile().outs();
      for (int i = 0; i < s.outs().size() && i < outs.size(); i++) {
        byPath.put(s.outs().get(i).def().path(), outs.get(i));
      }
    } else {
      LockEntry e = lockfile(s).get(s.def().name());
      if (e != null) {
        for (LockedPath p : e.outs()) {
          byPath.put(p.path(), p);
        }
      }
    }
    List<RecordedOut> out = new ArrayList<>();
    for (Stage.Out o : s.outs()) {
      LockedPath lp = byPath.get(o.def().path());
      if (lp != null && lp.hash() != null && o.def().cache()) {
        out.add(new RecordedOut(o, lp));
      }
    }
    return out;
  }

  public List<Stage> upstream(Stage s) {
    return upstream.getOrDefault(s, List.of());
  }

  public List<Stage> downstream(Stage s) {
    return downstream.getOrDefault(s, List.of());
  }

  private void check() {
    Map<String, Stage> outOwner = new HashMap<>();
    for (Stage s : stages) {
      Set<String> seen = new HashSet<>();
      for (String d : s.deps()) {
        if (!seen.add(d)) {
          throw stageError(s, "file '" + d + "' is specified more than once.", "list each path once");
        }
      }
      for (Stage.Out o : s.outs()) {
        if (s.deps().contains(o.repoPath())) {
          throw stageError(
              s, "'" + o.repoPath() + "' is specified as an output and as a dependency.",
              "a stage cannot read and write the same path; write to a new path");
        }
        if (!seen.add(o.repoPath()) && !s.deps().contains(o.repoPath())) {
          throw stageError(s, "file '" + o.repoPath() + "' is specified more than once.", "list each path once");
        }
        Stage other = outOwner.putIfAbsent(o.repoPath(), s);
        if (other != null) {
          throw stageError(
              s,
              "output '" + o.repoPath() + "' is already specified in stage: '" + other.address() + "'.",
              "each path can be produced by one stage only");
        }
      }
    }
    List<Map.Entry<String, Stage>> all = new ArrayList<>(outOwner.entrySet());
    all.sort(Map.Entry.comparingByKey(PathUtil.CODE_POINT_ORDER));
    for (int i = 0; i + 1 < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        String a = all.get(i).getKey();
        String b = all.get(j).getKey();
        if (!b.startsWith(a)) {
          break;
        }
        if (PathUtil.isWithin(b, a)) {
          Stage sa = all.get(i).getValue();
          Stage sb = all.get(j).getValue();
          throw stageError(
              sb,
              "The output paths:\n'" + a + "'('" + sa.address() + "')\n'" + b + "'('" + sb.address()
                  + "')\noverlap and are thus in the same tracked directory.",
              "to keep reproducibility, outputs should be in separate tracked directories or tracked individually");
        }
      }
    }
    for (Stage s : stages) {
      String file = s.isDataSource() ? s.dvcFile().relFile() : s.def().dvcfile();
      for (Map.Entry<String, Stage> e : all) {
        if (e.getValue() != s && PathUtil.isWithin(file, e.getKey()) && !file.equals(e.getKey())) {
          throw stageError(
              s, "'" + file + "' is within an output '" + e.getKey() + "' of stage '" + e.getValue().address() + "'",
              "move the stage file out of the output directory");
        }
      }
    }
  }

  private MlopsException stageError(Stage s, String message, String hint) {
    Path file = repo.resolve(s.isDataSource() ? s.dvcFile().relFile() : s.def().dvcfile());
    int line = s.isDataSource() ? 0 : s.def().line();
    return new MlopsException(message, file, line, hint);
  }

  private void buildGraph() {
    for (Stage s : stages) {
      Set<Stage> ups = new LinkedHashSet<>();
      for (String d : s.deps()) {
        for (Stage other : stages) {
          if (other == s) {
            continue;
          }
          for (Stage.Out o : other.outs()) {
            if (PathUtil.isWithin(d, o.repoPath()) || PathUtil.isWithin(o.repoPath(), d)) {
              ups.add(other);
            }
          }
        }
      }
      upstream.put(s, new ArrayList<>(ups));
      for (Stage u : ups) {
        downstream.computeIfAbsent(u, k -> new ArrayList<>()).add(s);
      }
    }
    // cycle detection
    Map<Stage, Integer> state = new HashMap<>();
    for (Stage s : stages) {
      detectCycle(s, state, new ArrayList<>());
    }
  }

  private void detectCycle(Stage s, Map<Stage, Integer> state, List<Stage> path) {
    Integer st = state.get(s);
    if (st != null && st == 2) {
      return;
    }
    if (st != null && st == 1) {
      List<Stage> cycle = path.subList(path.indexOf(s), path.size());
      throw stageError(
          s,
          "Pipeline has a cycle: Same item(s) are defined as both a dependency and an output in stages: "
              + cycle.stream().map(x -> "'" + x.address() + "'").toList(),
          "break the cycle: a stage cannot depend, directly or not, on its own outputs");
    }
    state.put(s, 1);
    path.add(s);
    for (Stage u : upstream(s)) {
      detectCycle(u, state, path);
    }
    path.remove(path.size() - 1);
    state.put(s, 2);
  }

  /**
   * Finds stages by target: a stage name (or foreach group name) of the root dvc.yaml,
   * {@code path/dvc.yaml:name}, a {@code .dvc} file, or an output path.
   */
  public List<Stage> find(String target) {
    List<Stage> found = new ArrayList<>();
    String file = "dvc.yaml";
    String name = target;
    int colon = target.lastIndexOf(':');
    if (colon > 0) {
      file = PathUtil.normalize(target.substring(0, colon));
      name = target.substring(colon + 1);
      if (file != null && !file.endsWith("dvc.yaml")) {
        file = file + "/dvc.yaml";
      }
    }
    for (Stage s : stages) {
      if (s.isDataSource()) {
        if (s.dvcFile().relFile().equals(PathUtil.normalize(target))) {
          found.add(s);
        }
        continue;
      }
      String n = s.def().name();
      if (s.def().dvcfile().equals(file) && (n.equals(name) || n.startsWith(name + "@"))) {
        found.add(s);
      }
    }
    if (found.isEmpty()) {
      String norm = PathUtil.normalize(target);
      for (Stage s : stages) {
        for (Stage.Out o : s.outs()) {
          if (o.repoPath().equals(norm)) {
            found.add(s);
          }
        }
      }
    }
    if (found.isEmpty()) {
      throw new MlopsException(
          "'" + target + "' does not exist as a stage, a .dvc file or an output",
          null,
          0,
          "list the stages with " + repo.hints().command("dag") + "; use name, path/dvc.yaml:name or file.dvc");
    }
    return found;
  }

  /** Stages of the dvc.yaml files directly, for default targets (dvc.yaml at the root). */
  public List<Stage> defaultTargets() {
    List<Stage> list = new ArrayList<>();
    for (Stage s : stages) {
      if (!s.isDataSource() && "dvc.yaml".equals(s.def().dvcfile())) {
        list.add(s);
      }
    }
    return list;
  }

  /** Dependencies first: post-order DFS from the targets over upstream edges (frozen stages cut them). */
  public List<Stage> plan(List<Stage> targets, boolean downstreamToo, boolean single) {
    if (single) {
      return new ArrayList<>(new LinkedHashSet<>(targets));
    }
    LinkedHashSet<Stage> order = new LinkedHashSet<>();
    if (downstreamToo) {
      LinkedHashSet<Stage> reach = new LinkedHashSet<>();
      for (Stage t : targets) {
        collectDownstream(t, reach);
      }
      // keep a dependency-respecting order of everything reachable
      for (Stage s : postOrder(new ArrayList<>(stages))) {
        if (reach.contains(s)) {
          order.add(s);
        }
      }
      return new ArrayList<>(order);
    }
    return postOrder(targets);
  }

  private List<Stage> postOrder(List<Stage> targets) {
    LinkedHashSet<Stage> order = new LinkedHashSet<>();
    Set<Stage> visiting = new HashSet<>();
    for (Stage t : targets) {
      visit(t, order, visiting);
    }
    return new ArrayList<>(order);
  }

  private void visit(Stage s, LinkedHashSet<Stage> order, Set<Stage> visiting) {
    if (order.contains(s) || !visiting.add(s)) {
      return;
    }
    if (!s.frozen()) {
      for (Stage u : upstream(s)) {
        visit(u, order, visiting);
      }
    }
    order.add(s);
  }

  private void collectDownstream(Stage s, Set<Stage> acc) {
    if (!acc.add(s)) {
      return;
    }
    for (Stage d : downstream(s)) {
      collectDownstream(d, acc);
    }
  }
}
