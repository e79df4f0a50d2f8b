package fr.coffre.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The data directory's own files in a backup (a zip archive, encrypted as one entry): the key
 * material ({@code keys/}: the root key pin, the sealed or development root key, the signing key,
 * the sealed root secret), the audit trail ({@code audit/}) and the small files beside them (admin
 * token, root credentials hand-off). Left out: the metadata (its own entry), the lock, the scratch
 * directory, the volumes (the blobs are protected by their placement copies, not by backups), the
 * PostgreSQL pin (a restore may go to another database: the first start pins it) and what a start
 * rewrites anyway.
 */
final class BackupFiles {
  private static final Set<String> SKIPPED =
      Set.of(
          "coffre.lock",
          MetadataPin.SQLITE_FILE,
          MetadataPin.SQLITE_FILE + "-wal",
          MetadataPin.SQLITE_FILE + "-shm",
          MetadataPin.SQLITE_FILE + "-journal",
          MetadataPin.FILE,
          "admin.endpoint",
          "tmp",
          "volume");

  private BackupFiles() {}

  /**
   * The files to back up under {@code data}, relative to it, in name order; not those under {@code
   * excluded} (the volumes, the backup being written, its scratch directory).
   */
  static List<Path> list(Path data, Collection<Path> excluded) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(data)) {
      for (Path p : walk.sorted().toList()) {
        Path rel = data.relativize(p);
        if (rel.toString().isEmpty()
            || SKIPPED.contains(rel.getName(0).toString())
            || rel.getName(0).toString().startsWith(Backups.SCRATCH_PREFIX)
            || excluded.stream().anyMatch(p::startsWith)
            || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        out.add(rel);
      }
    }
    return out;
  }

  /**
   * Writes {@code files} into a zip on {@code out}. An audit segment ({@code .jsonl}) still being
   * appended to is copied up to its last complete line, so the copy is a valid prefix of the chain.
   */
  static void zip(Path data, List<Path> files, OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Path rel : files) {
      Path file = data.resolve(rel);
      long length;
      try {
        length = rel.toString().endsWith(".jsonl") ? completeLines(file) : Files.size(file);
      } catch (NoSuchFileException gone) {
        continue; // removed meanwhile (a rotated-out audit segment): nothing to keep
      }
      zip.putNextEntry(new ZipEntry(rel.toString().replace('\\', '/')));
      try (InputStream in = Files.newInputStream(file)) {
        copy(in, zip, length);
      }
      zip.closeEntry();
    }
    zip.finish();
  }

  private static long completeLines(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long end = f.length();
      byte[] buf = new byte[8192];
      while (end > 0) {
        int n = (int) Math.min(buf.length, end);
        f.seek(end - n);
        f.readFully(buf, 0, n);
        for (int i = n - 1; i >= 0; i--) {
          if (buf[i] == '\n') {
            return end - n + i + 1;
          }
        }
        end -= n;
      }
      return 0;
    }
  }

  private static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = length;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("file shrank while it was copied");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  /**
   * Extracts the zip on {@code in} into {@code target} (owner-only files, fsynced); refuses a name
   * that would land outside it. Returns how many files were written.
   */
  static int unzip(InputStream in, Path target) throws IOException {
    ZipInputStream zip = new ZipInputStream(in);
    int count = 0;
    for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
      Path dest = target.resolve(e.getName()).normalize();
      if (!dest.startsWith(target) || dest.equals(target) || e.getName().startsWith("/")) {
        throw new BackupException("the backup names a file outside the data directory: " + e);
      }
      if (e.isDirectory()) {
        continue;
      }
      createOwnerOnlyDirectories(target, dest.getParent());
      try (FileChannel ch =
          FileChannel.open(
              dest,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        OutputStream out = Channels.newOutputStream(ch);
        zip.transferTo(out);
        ch.force(true);
      }
      count++;
    }
    in.transferTo(OutputStream.nullOutputStream()); // the rest of the stream: its tags checked
    return count;
  }

  static void createOwnerOnlyDirectories(Path root, Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    createOwnerOnlyDirectories(root, dir.getParent());
    Files.createDirectory(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }
}
