package io.mlops.cli;

import static io.mlops.cli.Args.Opt.flag;
import static io.mlops.cli.Args.Opt.value;

import io.mlops.api.CheckOptions;
import io.mlops.api.CheckResult;
import io.mlops.api.CacheVerifyResult;
import io.mlops.api.CheckoutOptions;
import io.mlops.api.CompareOptions;
import io.mlops.api.CompareResult;
import io.mlops.api.DagOptions;
import io.mlops.api.Mlops;
import io.mlops.api.MlopsException;
import io.mlops.api.MlopsOptions;
import io.mlops.api.NotARepositoryException;
import io.mlops.api.PlotsOptions;
import io.mlops.api.ReportOptions;
import io.mlops.api.ReproOptions;
import io.mlops.api.ReproResult;
import io.mlops.api.TransferOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code mlops} command: DVC's command names, flags and exit codes over the engine's API, without Maven. Exit
 * codes as DVC's: 0 success, 1 a failed data transfer or a {@code -q} status with changes, 253 not a repository,
 * 254 a bad command line, 255 any other error.
 */
public final class Main {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int NOT_A_REPO = 253;
  static final int USAGE = 254;
  static final int ERROR = 255;

  private static final Args.Opt JOBS = value("-j", "--jobs", "<number>",
      "Number of jobs to run simultaneously. The default value is 4 * cpu_count().");
  private static final Args.Opt REMOTE = value("-r", "--remote", "<name>", "Remote storage to use.");
  private static final Args.Opt RUN_CACHE = flag(null, "--run-cache", "Also transfer the run-cache.");
  private static final Args.Opt ALLOW_MISSING = flag(null, "--allow-missing", "Ignore errors if some of the files or "
      + "directories are missing.");
  private static final String TARGETS_HELP = "Limit command scope to these tracked files/directories, .dvc files "
      + "and stage names.";

  static final List<Command> COMMANDS = List.of(
      new Command("init", "Initialize DVC in the current directory.", null, false, null,
          List.of(flag(null, "--no-scm", "Initiate DVC in directory that is not tracked by any SCM tool (e.g. Git).")),
          call -> {
            Mlops.init(call.cwd(), call.args().flag("no-scm"), call.log());
            return OK;
          }),
      new Command("add", "Track data files or directories with DVC.", "targets", true,
          "Input files/directories to add.", List.of(),
          call -> {
            try (Mlops m = call.open()) {
              m.add(call.targets());
            }
            return OK;
          }),
      new Command("status", "Show changed stages, compare local cache and a remote storage.", "targets", true,
          TARGETS_HELP,
          List.of(flag("-c", "--cloud", "Show status of a local cache compared to a remote repository."),
              value("-r", "--remote", "<name>", "Remote storage to compare local cache to"), JOBS),
          call -> {
            boolean same;
            try (Mlops m = call.open()) {
              same = call.args().flag("cloud") ? m.cloudStatus(call.targets()).inSync()
                  : m.status(call.targets()).upToDate();
            }
            return call.args().flag("quiet") && !same ? FAILED : OK;
          }),
      new Command("repro", "Reproduce complete or partial pipelines by executing their stages.", "targets", true,
          "Stages to reproduce. 'dvc.yaml' by default.",
          List.of(flag("-f", "--force", "Reproduce even if dependencies were not changed."),
              flag("-s", "--single-item", "Reproduce only single data item without recursive dependencies check."),
              flag(null, "--downstream", "Start from the specified stages when reproducing pipelines."),
              flag(null, "--pull", "Try automatically pulling missing data."),
              flag(null, "--allow-missing", "Skip stages with missing data but no other changes."),
              flag(null, "--dry", "Only print the commands that would be executed without actually executing."),
              flag("-k", "--keep-going", "Continue executing, skipping stages having dependencies on the failed "
                  + "stages"),
              flag(null, "--no-run-cache", "Execute stage commands even if they have already been run with the "
                  + "same command/dependencies/outputs/etc before."),
              value(null, "--stage-jobs", "<number>", "Independent stages to run at the same time (default 1)."),
              JOBS, REMOTE,
              value(null, "--record", "<file>", "Write what happened to every stage as JSON (Maven's repro.json).")),
          call -> {
            Args a = call.args();
            ReproResult r;
            try (Mlops m = call.open()) {
              r = m.repro(ReproOptions.defaults().targets(call.targets()).force(a.flag("force"))
                  .single(a.flag("single-item")).downstream(a.flag("downstream")).pull(a.flag("pull"))
                  .allowMissing(a.flag("allow-missing")).dry(a.flag("dry")).keepGoing(a.flag("keep-going"))
                  .noRunCache(a.flag("no-run-cache")).report(a.value("record") == null ? null : Path.of(a.value("record"))));
            }
            if (r.failed()) {
              for (ReproResult.StageResult s : r.stages()) {
                if (s.outcome() == ReproResult.Outcome.FAILED) {
                  call.log().error("failed to reproduce '" + s.stage() + "'");
                }
              }
              return ERROR;
            }
            return OK;
          }),
      new Command("checkout", "Checkout data files from cache.", "targets", true,
          "Limit command scope to these tracked files/directories, .dvc files and stage names.",
          List.of(flag("-f", "--force", "Do not prompt when removing working directory files."), ALLOW_MISSING),
          call -> {
            try (Mlops m = call.open()) {
              m.checkout(CheckoutOptions.defaults().targets(call.targets()).force(call.args().flag("force"))
                  .allowMissing(call.args().flag("allow-missing")));
            }
            return OK;
          }),
      new Command("commit", "Record changes to files or directories tracked by DVC by storing the current versions "
          + "of them in the cache.", "targets", true, "Limit command scope to these tracked files/directories, .dvc "
          + "files and stage names.",
          List.of(flag("-f", "--force", "Commit data even if hash values for dependencies or outputs did not change.")),
          call -> {
            try (Mlops m = call.open()) {
              m.commit(call.targets());
            }
            return OK;
          }),
      new Command("cache verify", "Re-hash every object of the local cache (read-only ones too) and remove the "
          + "corrupt ones; exits 1 when any was found.", null, false, null, List.of(),
          call -> {
            CacheVerifyResult r;
            try (Mlops m = call.open()) {
              r = m.verifyCache();
            }
            r.corrupt().forEach(line -> call.log().error("corrupt cache object: " + line));
            call.log().info(r.checked() + " objects (" + r.bytes() + " bytes) checked, " + r.corrupt().size()
                + " corrupt" + (r.staleTemporaries() > 0 ? ", " + r.staleTemporaries() + " stale temporary files removed" : "")
                + (r.intact() ? "" : ": pull or commit the data again to restore them"));
            return r.intact() ? OK : FAILED;
          }),
      new Command("dag", "Visualize DVC project DAG.", "target", true, "Stage name or output to show pipeline for.",
          List.of(flag(null, "--mermaid", "Print DAG with mermaid format."),
              flag(null, "--md", "Print DAG with mermaid format wrapped in Markdown block."),
              flag(null, "--full", "Show full DAG that the target belongs too, instead of showing DAG consisting only "
                  + "of ancestors."),
              flag(null, "--collapse-foreach-matrix",
                  "Collapse stages from each foreach/matrix definition into a single node."),
              flag("-o", "--outs", "Print output files instead of stages.")),
          call -> {
            try (Mlops m = call.open()) {
              call.log().print(m.dag(DagOptions.defaults().targets(call.targets()).full(call.args().flag("full"))
                  .mermaid(call.args().flag("mermaid")).markdown(call.args().flag("md")).outs(call.args().flag("outs"))
                  .collapseForeachMatrix(call.args().flag("collapse-foreach-matrix"))));
            }
            return OK;
          }),
      transfer("push", "Upload tracked files or directories to remote storage.", List.of(JOBS, REMOTE, RUN_CACHE)),
      transfer("pull", "Download tracked files or directories from remote storage.",
          List.of(JOBS, REMOTE, RUN_CACHE, ALLOW_MISSING,
              flag("-f", "--force", "Do not prompt when removing working directory files."))),
      transfer("fetch", "Download files or directories from remote storage to the cache.",
          List.of(JOBS, REMOTE, RUN_CACHE, ALLOW_MISSING)),
      compare("params diff", false, true),
      compare("metrics diff", true, true),
      compare("metrics show", true, false),
      plots("plots show", false),
      plots("plots diff", true),
      new Command("report", "Write a Markdown and JSON report of params, metrics and plots against a baseline "
          + "revision (mlops:report).", null, false, null,
          List.of(value(null, "--rev", "<rev>", "Baseline revision (default: HEAD)."),
              value("-o", "--out", "<path>", "Directory for report.md, report.json and plots/ (default: "
                  + "target/mlops/report)."),
              flag("-a", "--all", "Also list unchanged values."),
              flag(null, "--no-step-summary", "Do not append to $GITHUB_STEP_SUMMARY."), REMOTE),
          call -> {
            Args a = call.args();
            try (Mlops m = call.open()) {
              m.report(ReportOptions.defaults().baseline(a.value("rev"))
                  .output(a.value("out") == null ? null : Path.of(a.value("out"))).all(a.flag("all"))
                  .stepSummary(!a.flag("no-step-summary")));
            }
            return OK;
          }),
      new Command("check", "Check metric thresholds such as 'f1 >= 0.9' or 'loss <= baseline + 0.01' "
          + "(mlops:check); exit 1 when one fails.", "threshold", true,
          "Rules '[file:]key op limit', op one of >= > <= < == !=, limit a number or 'baseline [+|- number]'.",
          List.of(value(null, "--rev", "<rev>", "Baseline revision of relative rules (default: HEAD)."), REMOTE),
          call -> {
            if (call.args().positionals().isEmpty()) {
              throw new Args.UsageException("the following arguments are required: threshold");
            }
            CheckResult r;
            try (Mlops m = call.open()) {
              r = m.check(CheckOptions.defaults().thresholds(call.args().positionals()).baseline(call.args().value("rev")));
            }
            if (r.passed()) {
              call.log().print(r.summary() + "\n");
              return OK;
            }
            call.log().error(r.summary());
            return FAILED;
          }));

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), Path.of("").toAbsolutePath(), System.getenv(), System.out, System.err));
  }

  /** Runs one command line in {@code cwd}; returns the exit code. */
  static int run(List<String> argv, Path cwd, Map<String, String> env, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(argv);
    Path dir = cwd;
    if (rest.size() >= 2 && rest.get(0).equals("--cd")) {
      dir = cwd.resolve(rest.get(1)).normalize();
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.get(0).equals("-h") || rest.get(0).equals("--help")) {
      (rest.isEmpty() ? err : out).print(overview());
      return rest.isEmpty() ? USAGE : OK;
    }
    if (rest.get(0).equals("--version") || rest.get(0).equals("-V")) {
      out.println(version());
      return OK;
    }
    Command cmd = find(rest);
    if (cmd == null) {
      err.print(overview());
      err.println("ERROR: argument COMMAND: invalid choice: '" + String.join(" ", rest.subList(0,
          Math.min(rest.size(), 2))) + "'");
      return USAGE;
    }
    List<String> cmdArgs = rest.subList(cmd.name().split(" ").length, rest.size());
    Args args;
    try {
      args = Args.parse(cmd.allOptions(), cmdArgs);
      if (cmd.positional() == null && !args.positionals().isEmpty()) {
        throw new Args.UsageException("unrecognized arguments: " + String.join(" ", args.positionals()));
      }
      if (!cmd.many() && args.positionals().size() > 1) {
        throw new Args.UsageException("unrecognized arguments: "
            + String.join(" ", args.positionals().subList(1, args.positionals().size())));
      }
    } catch (Args.UsageException e) {
      err.println(cmd.usage());
      err.println("ERROR: " + e.getMessage());
      return USAGE;
    }
    if (args.flag("help")) {
      out.print(cmd.help());
      return OK;
    }
    ConsoleLog log = new ConsoleLog(out, err, args.flag("quiet") ? ConsoleLog.Level.QUIET
        : args.flag("verbose") ? ConsoleLog.Level.VERBOSE : ConsoleLog.Level.NORMAL);
    Session session = new Session(args, log, dir, env);
    try {
      return cmd.action().run(session);
    } catch (Args.UsageException e) {
      err.println(cmd.usage());
      err.println("ERROR: " + e.getMessage());
      return USAGE;
    } catch (NotARepositoryException e) {
      log.error("you are not inside of a DVC repository (checked up to mount point '" + mountPoint(dir) + "')");
      return NOT_A_REPO;
    } catch (MlopsException e) {
      log.error(e.getMessage());
      if (log.isDebugEnabled() && e.getCause() != null) {
        e.getCause().printStackTrace(err);
      }
      return isTransfer(cmd) ? FAILED : ERROR;
    }
  }

  private static boolean isTransfer(Command cmd) {
    return List.of("push", "pull", "fetch").contains(cmd.name());
  }

  private static Command find(List<String> rest) {
    String two = rest.size() >= 2 ? rest.get(0) + " " + rest.get(1) : null;
    for (Command c : COMMANDS) {
      if (c.name().equals(rest.get(0)) || c.name().equals(two)) {
        return c;
      }
    }
    return null;
  }

  private static Command transfer(String name, String summary, List<Args.Opt> opts) {
    return new Command(name, summary, "targets", true, TARGETS_HELP, opts, call -> {
      Args a = call.args();
      TransferOptions o = TransferOptions.defaults().targets(call.targets()).runCache(a.flag("run-cache"))
          .allowMissing(a.flag("allow-missing")).force(a.flag("force"));
      try (Mlops m = call.open()) {
        switch (name) {
          case "push" -> m.push(o);
          case "pull" -> m.pull(o);
          default -> m.fetch(o);
        }
      }
      return OK;
    });
  }

  private static Command compare(String name, boolean metrics, boolean diff) {
    List<Args.Opt> opts = new ArrayList<>(List.of(
        flag(null, "--json", "Show output in JSON format."),
        flag(null, "--md", "Show tabulated output in the Markdown format (GFM)."),
        value("-o", "--out", "<file>", "Also write the output to this file."), REMOTE));
    if (diff) {
      opts.add(flag(null, "--all", "Show unchanged " + (metrics ? "metrics" : "params") + " as well."));
      opts.add(flag(null, "--no-path", "Don't show " + (metrics ? "metric" : "params") + " path."));
    }
    if (metrics) {
      opts.add(value(null, "--precision", "<n>", "Round metrics to `n` digits precision after the decimal point. "
          + "Rounds to 5 digits by default."));
    } else {
      opts.add(flag(null, "--deps", "Show only params that are stage dependencies."));
    }
    String summary = metrics
        ? (diff ? "Show changes in metrics between commits in the DVC repository, or between a commit and the "
            + "workspace." : "Print metrics, with optional formatting.")
        : "Show changes in params between commits in the DVC repository, or between a commit and the workspace.";
    return new Command(name, summary, diff ? "a_rev" : null, false, "Old Git commit to compare (defaults to HEAD)",
        opts, call -> {
          Args a = call.args();
          CompareOptions o = CompareOptions.defaults()
              .format(a.flag("json") ? CompareOptions.Format.JSON
                  : a.flag("md") ? CompareOptions.Format.MD : CompareOptions.Format.PLAIN)
              .all(a.flag("all")).noPath(a.flag("no-path")).precision(a.integer("precision")).depsOnly(a.flag("deps"))
              .output(a.value("out") == null ? null : Path.of(a.value("out")));
          if (diff) {
            o.rev(a.positionals().isEmpty() ? "HEAD" : a.positionals().get(0));
          }
          CompareResult r;
          try (Mlops m = call.open()) {
            r = metrics ? m.metrics(o) : m.params(o);
          }
          call.log().print(r.text());
          return OK;
        });
  }

  private static Command plots(String name, boolean diff) {
    return new Command(name, diff ? "Show multiple versions of plots by overlaying them in a single image."
        : "Generate plots from metrics files.", diff ? "revision" : null, false,
        "Git commit to compare with the workspace (defaults to HEAD)",
        List.of(value("-o", "--out", "<path>", "Directory to save plots to (default: dvc_plots)."), REMOTE),
        call -> {
          Args a = call.args();
          PlotsOptions o = PlotsOptions.defaults().output(a.value("out") == null ? null : Path.of(a.value("out")));
          if (diff) {
            o.rev(a.positionals().isEmpty() ? "HEAD" : a.positionals().get(0));
          }
          try (Mlops m = call.open()) {
            m.plots(o);
          }
          return OK;
        });
  }

  static String overview() {
    StringBuilder sb = new StringBuilder("usage: mlops [--cd <path>] [-h] [-V] COMMAND ...\n\n"
        + "DVC's commands on the mlops engine: the same dvc.yaml, dvc.lock, .dvc files, cache and remotes.\n\n"
        + "commands:\n");
    for (Command c : COMMANDS) {
      Command.row(sb, c.name(), c.summary());
    }
    sb.append("\nRun `mlops COMMAND --help` for a command's options.\n");
    return sb.toString();
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static Path mountPoint(Path dir) {
    Path p = dir.toAbsolutePath();
    try {
      var store = Files.getFileStore(p);
      while (p.getParent() != null && Files.getFileStore(p.getParent()).equals(store)) {
        p = p.getParent();
      }
    } catch (java.io.IOException e) {
      return p.getRoot();
    }
    return p;
  }

  /** The repository a command works on: found upward from the working directory, as DVC finds it. */
  private record Session(Args args, ConsoleLog log, Path cwd, Map<String, String> env)
      implements Command.Invocation {
    @Override
    public Mlops open() {
      MlopsOptions o = MlopsOptions.defaults().env(env).remote(args.value("remote"))
          .frontEnd(MlopsOptions.FrontEnd.CLI);
      Integer jobs = args.integer("jobs");
      Integer stageJobs = args.integer("stage-jobs");
      o.transferJobs(jobs == null ? 0 : jobs).stageJobs(stageJobs == null ? 1 : stageJobs);
      return Mlops.open(root(), o, log);
    }

    private Path root() {
      for (Path p = cwd; p != null; p = p.getParent()) {
        if (Files.isDirectory(p.resolve(".dvc"))) {
          return p;
        }
      }
      return cwd; // Mlops.open says it is not a repository
    }

    @Override
    public List<String> targets() {
      Path root = root();
      if (root.equals(cwd)) {
        return args.positionals();
      }
      List<String> out = new ArrayList<>();
      for (String t : args.positionals()) {
        Path p = cwd.resolve(t).normalize();
        boolean path = Files.exists(p) || t.contains("/") || t.endsWith(".dvc");
        out.add(path && p.startsWith(root) ? root.relativize(p).toString().replace('\\', '/') : t);
      }
      return out;
    }
  }
}
