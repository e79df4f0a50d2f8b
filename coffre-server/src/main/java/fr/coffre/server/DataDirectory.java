package fr.coffre.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory: made owner-only, and locked ({@code coffre.lock}) for as long as this process
 * runs, so two servers never share one.
 */
final class DataDirectory implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectory(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /** Creates (mode 0700) and locks {@code dir}; refused when another process holds it. */
  static DataDirectory lock(Path dir) throws IOException {
    Path path = dir.toAbsolutePath();
    Files.createDirectories(path);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    FileChannel channel =
        FileChannel.open(
            path.resolve("coffre.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          "data directory " + path + " is in use by another Coffre process");
    }
    return new DataDirectory(path, channel, lock);
  }

  Path path() {
    return path;
  }

  /** Root key files, the pin, sealed credentials and the signing key. */
  Path keys() {
    return path.resolve("keys");
  }

  /** Private scratch files (audit exports), emptied at each start. */
  Path spool() {
    return path.resolve("tmp");
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
