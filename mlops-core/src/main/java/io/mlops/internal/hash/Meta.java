package io.mlops.internal.hash;

/**
 * The meta DVC stores beside a hash.
 *
 * @param size file size, or the sum of file sizes for a directory
 * @param nfiles number of files for a directory, else null
 * @param isexec true if the file is executable (never for directories)
 */
public record Meta(long size, Integer nfiles, boolean isexec) {
  public static Meta file(long size, boolean isexec) {
    return new Meta(size, null, isexec);
  }

  public static Meta dir(long size, int nfiles) {
    return new Meta(size, nfiles, false);
  }
}
