package io.mlops.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a repository is opened: the environment it reads credentials from, the remote its commands use, and the
 * parallelism of its three kinds of work, each configured on its own:
 *
 * <ul>
 *   <li>{@link #hashJobs(int) hashJobs}: threads hashing files (default: the number of CPUs);
 *   <li>{@link #stageJobs(int) stageJobs}: independent stages {@code repro} runs at once (default 1, like DVC);
 *   <li>{@link #transferJobs(int) transferJobs}: parallel object transfers of push, pull and fetch (default
 *       4 &times; CPUs, DVC's {@code -j} default).
 * </ul>
 *
 * <p>A fluent builder: {@code MlopsOptions.defaults().remote("storage").transferJobs(16)}.
 */
public final class MlopsOptions {
  private Map<String, String> env = System.getenv();
  private int hashJobs;
  private int stageJobs = 1;
  private int transferJobs;
  private boolean offline;
  private String remote;
  private String remoteUrl;
  private final Map<String, String> remoteOptions = new LinkedHashMap<>();
  private FrontEnd frontEnd = FrontEnd.MAVEN;

  /** Who runs the engine: messages name the commands and options that fix a problem in its words. */
  public enum FrontEnd {
    /** {@code `mvn mlops:pull`}, {@code -Dmlops.allowMissing=true} */
    MAVEN,
    /** {@code `mlops pull`}, {@code --allow-missing} */
    CLI
  }

  private MlopsOptions() {}

  public static MlopsOptions defaults() {
    return new MlopsOptions();
  }

  /** DVC's default parallelism for transfers: 4 &times; CPUs. */
  public static int defaultTransferJobs() {
    return 4 * Runtime.getRuntime().availableProcessors();
  }

  /** The environment remotes read credentials and emulator settings from (never {@link System#getenv()} itself). */
  public MlopsOptions env(Map<String, String> env) {
    this.env = Map.copyOf(env);
    return this;
  }

  public Map<String, String> env() {
    return env;
  }

  /** Threads hashing files; 0 or less: the number of CPUs. */
  public MlopsOptions hashJobs(int jobs) {
    this.hashJobs = jobs;
    return this;
  }

  public int hashJobs() {
    return hashJobs > 0 ? hashJobs : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Independent stages run at once by {@code repro}; 0 or less: 1. */
  public MlopsOptions stageJobs(int jobs) {
    this.stageJobs = jobs;
    return this;
  }

  public int stageJobs() {
    return Math.max(1, stageJobs);
  }

  /** Parallel transfers of push, pull and fetch; 0 or less: {@link #defaultTransferJobs()}. */
  public MlopsOptions transferJobs(int jobs) {
    this.transferJobs = jobs;
    return this;
  }

  public int transferJobs() {
    return transferJobs > 0 ? transferJobs : defaultTransferJobs();
  }

  /** Refuse to reach network remotes (Maven's {@code -o}); local remotes still work. */
  public MlopsOptions offline(boolean offline) {
    this.offline = offline;
    return this;
  }

  public boolean offline() {
    return offline;
  }

  /** The remote every command of this repository uses ({@code -r NAME}); null: {@code core.remote}. */
  public MlopsOptions remote(String name) {
    this.remote = name == null || name.isBlank() ? null : name.strip();
    return this;
  }

  public String remote() {
    return remote;
  }

  /**
   * The URL of that remote for this session only ({@code .dvc/config} is not changed); relative paths are relative
   * to the repository root.
   */
  public MlopsOptions remoteUrl(String url) {
    this.remoteUrl = url == null || url.isBlank() ? null : url.strip();
    return this;
  }

  public String remoteUrl() {
    return remoteUrl;
  }

  /** Options of that remote with DVC's names ({@code endpointurl}, {@code credentialpath}...), for this session. */
  public MlopsOptions remoteOption(String name, String value) {
    remoteOptions.put(name, value);
    return this;
  }

  public MlopsOptions remoteOptions(Map<String, String> options) {
    if (options != null) {
      remoteOptions.putAll(options);
    }
    return this;
  }

  public Map<String, String> remoteOptions() {
    return Map.copyOf(remoteOptions);
  }

  public MlopsOptions frontEnd(FrontEnd frontEnd) {
    this.frontEnd = frontEnd;
    return this;
  }

  public FrontEnd frontEnd() {
    return frontEnd;
  }
}
