package io.mlops.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.mlops.api.MlopsException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * DVC's repository lock: {@code .dvc/tmp/lock}, taken with {@code flock(LOCK_EX | LOCK_NB)} and holding
 * {@code " <pid>\n"}, as zc.lockfile takes it for DVC. So a {@code dvc repro} and an {@code mlops:repro} (or two
 * Maven builds, or two modules of a parallel build) never work on one repository at once: the second waits up to
 * 3 seconds (DVC's 6 tries at 0.5 s), then fails naming the holder. The lock dies with its process, so a killed
 * build leaves nothing to clean up. On systems without flock, a {@link FileChannel} lock (fcntl) still excludes
 * other mlops processes.
 */
public final class RepoLock implements AutoCloseable {
  private static final int TRIES = 6;
  private static final long PAUSE_MILLIS = 500;

  /** The few libc calls the lock needs. */
  interface LibC extends Library {
    int open(String path, int flags, int mode);

    int flock(int fd, int operation);

    int ftruncate(int fd, long length);

    long write(int fd, byte[] buf, long count);

    int close(int fd);
  }

  private static final int LOCK_EX = 2;
  private static final int LOCK_NB = 4;
  private static final int LOCK_UN = 8;

  private final Path file;
  private final int fd;
  private final FileChannel channel;
  private final FileLock channelLock;

  private RepoLock(Path file, int fd, FileChannel channel, FileLock channelLock) {
    this.file = file;
    this.fd = fd;
    this.channel = channel;
    this.channelLock = channelLock;
  }

  /**
   * Takes the lock of the repository whose {@code .dvc} directory is {@code dvcDir}, for {@code operation}
   * ({@code repro}, {@code push}...), waiting up to 3 seconds for another process to let it go.
   */
  /**
   * Starts loading libc through JNA on a background thread (about 0.1 s, mostly JNA unpacking its native
   * part), so that it overlaps the opening of the repository instead of delaying the first locked command.
   */
  public static void preload() {
    Thread t = new Thread(() -> {
      LibC ignored = Libc.INSTANCE;
    }, "mlops-libc-load");
    t.setDaemon(true);
    t.start();
  }

  public static RepoLock acquire(Path dvcDir, String operation) {
    Path file = dvcDir.resolve("tmp").resolve("lock");
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw MlopsException.environment("cannot create " + file.getParent() + ": " + e.getMessage(),
          "check the permissions of the repository's .dvc directory", e);
    }
    LibC libc = Libc.INSTANCE;
    for (int attempt = 1; ; attempt++) {
      RepoLock lock = libc != null ? tryFlock(libc, file) : tryChannelLock(file);
      if (lock != null) {
        return lock;
      }
      if (attempt == TRIES) {
        throw busy(file, operation);
      }
      try {
        Thread.sleep(PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw MlopsException.environment("interrupted while waiting for the repository lock " + file, null, e);
      }
    }
  }

  private static RepoLock tryFlock(LibC libc, Path file) {
    int flags = Platform.isMac() ? 0x0002 | 0x0200 : 0x0002 | 0x0040; // O_RDWR | O_CREAT
    int fd = libc.open(file.toString(), flags, 0644);
    if (fd < 0) {
      throw MlopsException.environment("cannot open the repository lock " + file + " (errno "
          + Native.getLastError() + ")", "check the permissions of the repository's .dvc/tmp directory", null);
    }
    if (libc.flock(fd, LOCK_EX | LOCK_NB) != 0) {
      libc.close(fd);
      return null;
    }
    byte[] pid = (" " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
    libc.ftruncate(fd, 0);
    libc.write(fd, pid, pid.length);
    return new RepoLock(file, fd, null, null);
  }

  private static RepoLock tryChannelLock(Path file) {
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.READ);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        return null;
      }
      ch.truncate(0);
      ch.write(java.nio.ByteBuffer.wrap((" " + ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.US_ASCII)));
      return new RepoLock(file, -1, ch, l);
    } catch (IOException e) {
      throw MlopsException.environment("cannot lock " + file + ": " + e.getMessage(),
          "check the permissions of the repository's .dvc/tmp directory", e);
    }
  }

  private static MlopsException busy(Path file, String operation) {
    String holder;
    try {
      holder = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      holder = "";
    }
    String who = holder.matches("\\d+") ? "process " + holder : "another process";
    boolean alive = holder.matches("\\d+") && ProcessHandle.of(Long.parseLong(holder)).map(ProcessHandle::isAlive)
        .orElse(false);
    return new MlopsException(MlopsException.Kind.ENVIRONMENT,
        "cannot " + operation + ": the repository is locked by " + who
            + (alive ? "" : " (no longer running here: it may run on another machine sharing this directory)")
            + ", a DVC or mlops command working on it (" + file + ")",
        null, 0, "wait for it to finish and run again; two builds must not share one repository at the same time",
        null);
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channelLock.release();
        channel.close();
      } catch (IOException ignored) {
        // released when the channel closes or the process ends
      }
      return;
    }
    LibC libc = Libc.INSTANCE;
    libc.flock(fd, LOCK_UN);
    libc.close(fd);
  }

  @Override
  public String toString() {
    return "RepoLock[" + file + "]";
  }

  /** libc through JNA, loaded on first use; null where flock is not available (Windows) or JNA cannot load. */
  private static final class Libc {
    static final LibC INSTANCE = load();

    private static LibC load() {
      if (Platform.isWindows()) {
        return null;
      }
      try {
        return Native.load(Platform.C_LIBRARY_NAME, LibC.class);
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        return null;
      }
    }
  }
}
