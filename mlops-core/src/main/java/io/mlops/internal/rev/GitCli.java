package io.mlops.internal.rev;

import io.mlops.api.MlopsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The few {@code git} plumbing commands the revision reader needs, run through the {@code git} executable
 * (no Git library): the work tree and the repository's prefix in it, commit resolution, tree listing and blob
 * contents. Every failure is an {@link MlopsException} saying what was run and what to do.
 */
final class GitCli {
  /** One blob or tree entry of {@code git ls-tree -r -l}: path relative to the Git work tree. */
  record TreeEntry(String mode, String type, String object, long size, String path) {
    boolean isRegularFile() {
      return "blob".equals(type) && (mode.equals("100644") || mode.equals("100755"));
    }
  }

  private static final int TIMEOUT_SECONDS = 600;

  private final Path workTree;
  private final String prefix;

  private GitCli(Path workTree, String prefix) {
    this.workTree = workTree;
    this.prefix = prefix;
  }

  /**
   * Locates the Git work tree containing {@code dir}.
   *
   * @throws MlopsException when git is not installed or {@code dir} is not inside a Git work tree
   */
  static GitCli locate(Path dir) {
    Result top = run(dir, List.of("rev-parse", "--show-toplevel"), null);
    if (top.exit != 0) {
      throw new MlopsException(
          "'" + dir + "' is not inside a Git work tree: " + top.errText(),
          null,
          0,
          "comparing with a revision needs the repository in Git (`git init`, commit); without Git only the"
              + " workspace can be shown");
    }
    Result pre = run(dir, List.of("rev-parse", "--show-prefix"), null);
    return new GitCli(Path.of(top.text().strip()), pre.text().strip());
  }

  /** The repository root's path inside the Git work tree, "" or ending in '/'. */
  String prefix() {
    return prefix;
  }

  /**
   * The full commit id of a revision (branch, tag, sha, {@code HEAD~1}, ...).
   *
   * @throws MlopsException naming the revision when Git does not know it
   */
  String resolveCommit(String rev) {
    Result r = run(workTree, List.of("rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"), null);
    if (r.exit != 0 || r.text().isBlank()) {
      Result any = run(workTree, List.of("rev-parse", "--verify", "--quiet", "HEAD"), null);
      String hint = any.exit != 0
          ? "the Git repository has no commits yet: commit first (`git add -A && git commit`)"
          : "use a branch, tag or commit that exists (`git branch -a`, `git tag`, `git log --oneline`)";
      throw new MlopsException("unknown Git revision '" + rev + "'", null, 0, hint);
    }
    return r.text().strip();
  }

  /** Every entry under {@code pathspec} (relative to the work tree, "" for all) in a commit, recursively. */
  List<TreeEntry> lsTree(String commit, String pathspec) {
    List<String> args = new ArrayList<>(List.of("ls-tree", "-r", "-z", "-l", "--full-tree", commit));
    if (!pathspec.isEmpty()) {
      args.add("--");
      args.add(pathspec);
    }
    Result r = run(workTree, args, null);
    r.check("git ls-tree " + commit);
    List<TreeEntry> out = new ArrayList<>();
    for (String rec : r.text().split("\0")) {
      if (rec.isEmpty()) {
        continue;
      }
      int tab = rec.indexOf('\t');
      String[] meta = rec.substring(0, tab).trim().split(" +");
      long size = "-".equals(meta[3]) ? -1 : Long.parseLong(meta[3]);
      out.add(new TreeEntry(meta[0], meta[1], meta[2], size, rec.substring(tab + 1)));
    }
    return out;
  }

  /** The contents of blobs, in the order asked ({@code git cat-file --batch}). */
  List<byte[]> blobs(List<String> objects) {
    if (objects.isEmpty()) {
      return List.of();
    }
    StringBuilder in = new StringBuilder();
    for (String o : objects) {
      in.append(o).append('\n');
    }
    Result r = run(workTree, List.of("cat-file", "--batch"), in.toString().getBytes(StandardCharsets.UTF_8));
    r.check("git cat-file --batch");
    List<byte[]> out = new ArrayList<>(objects.size());
    byte[] b = r.out;
    int pos = 0;
    for (String o : objects) {
      int nl = indexOf(b, (byte) '\n', pos);
      String header = new String(b, pos, nl - pos, StandardCharsets.UTF_8);
      String[] parts = header.split(" ");
      if (parts.length < 3) {
        throw new MlopsException("git cat-file: unexpected answer for " + o + ": " + header);
      }
      int size = Integer.parseInt(parts[2]);
      byte[] data = new byte[size];
      System.arraycopy(b, nl + 1, data, 0, size);
      out.add(data);
      pos = nl + 1 + size + 1;
    }
    return out;
  }

  private static int indexOf(byte[] b, byte v, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    throw new MlopsException("git cat-file: truncated output");
  }

  private record Result(int exit, byte[] out, String err) {
    String text() {
      return new String(out, StandardCharsets.UTF_8);
    }

    String errText() {
      return err.strip().isEmpty() ? "exit code " + exit : err.strip();
    }

    void check(String what) {
      if (exit != 0) {
        throw new MlopsException(what + " failed: " + errText());
      }
    }
  }

  private static Result run(Path dir, List<String> args, byte[] stdin) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("LC_ALL", "C");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new MlopsException(MlopsException.Kind.ENVIRONMENT,
          "cannot run git: " + e.getMessage(), null, 0, "install Git and put the `git` executable on the PATH", e);
    }
    try {
      Thread writer = new Thread(() -> {
        try (OutputStream os = p.getOutputStream()) {
          if (stdin != null) {
            os.write(stdin);
          }
        } catch (IOException ignored) {
          // git exited early; its exit code tells
        }
      }, "git-stdin");
      writer.setDaemon(true);
      writer.start();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread errReader = new Thread(() -> drain(p.getErrorStream(), err), "git-stderr");
      errReader.setDaemon(true);
      errReader.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new MlopsException("git " + String.join(" ", args) + " timed out");
      }
      errReader.join();
      writer.join();
      return new Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new MlopsException("git " + String.join(" ", args) + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MlopsException(MlopsException.Kind.ENVIRONMENT, "interrupted while running git", e);
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream sink) {
    try {
      in.transferTo(sink);
    } catch (IOException ignored) {
      // the process is gone
    }
  }
}
