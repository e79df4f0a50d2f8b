package fr.coffre.storage;

import fr.coffre.core.BlobId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Blobs as files on one local volume: {@code blobs/ab/cd/<id>} for committed blobs and {@code tmp/}
 * for writes in progress. Files are owner-only. Commit follows the classic durable-rename sequence:
 * fsync the file, rename it atomically into place, fsync the directory that now holds its name.
 * (Group commit, batching the fsyncs of concurrent writers, would wrap {@link Writer#commit()}; it
 * is not needed for correctness.)
 */
public final class FileBlobStore implements BlobStore {
  private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<Set<PosixFilePermission>> DIR_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path blobs;
  private final Path tmp;

  public FileBlobStore(Path root) throws IOException {
    Files.createDirectories(root, DIR_MODE);
    this.blobs = root.resolve("blobs");
    this.tmp = root.resolve("tmp");
    Files.createDirectories(blobs, DIR_MODE);
    Files.createDirectories(tmp, DIR_MODE);
    fsyncDirectory(root);
  }

  private Path path(BlobId id) {
    String v = id.value();
    return blobs.resolve(v.substring(0, 2)).resolve(v.substring(2, 4)).resolve(v);
  }

  /** The directory of a path under {@link #blobs}, which always has one. */
  private static Path parentOf(Path p) {
    return Objects.requireNonNull(p.getParent(), p::toString);
  }

  @Override
  public BlobWriter create(BlobId id) throws IOException {
    Path temp = tmp.resolve(id.value() + "." + UUID.randomUUID());
    FileChannel channel =
        FileChannel.open(
            temp,
            Set.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ),
            FILE_MODE);
    return new Writer(id, temp, channel);
  }

  @Override
  public SeekableByteChannel open(BlobId id) throws IOException {
    return FileChannel.open(path(id), StandardOpenOption.READ);
  }

  @Override
  public boolean exists(BlobId id) {
    return Files.isRegularFile(path(id));
  }

  @Override
  public void delete(BlobId id) throws IOException {
    Files.deleteIfExists(path(id));
  }

  @Override
  public void forEach(Consumer<BlobId> visitor) throws IOException {
    try (Stream<Path> files = Files.walk(blobs, 3)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              p -> {
                try {
                  visitor.accept(new BlobId(p.getFileName().toString()));
                } catch (IllegalArgumentException e) {
                  // Not a blob name: not ours to touch.
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The file's modification time is its commit (blobs are never modified after it). */
  @Override
  public void forEachCommittedBefore(Instant cutoff, Consumer<BlobId> visitor) throws IOException {
    try (Stream<Path> files = Files.walk(blobs, 3)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              p -> {
                try {
                  if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    visitor.accept(new BlobId(p.getFileName().toString()));
                  }
                } catch (IllegalArgumentException | NoSuchFileException e) {
                  // Not a blob name, or deleted meanwhile: nothing to visit.
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void removeTemporaries() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
      for (Path p : entries) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public String describe(BlobId id) {
    return path(id).toString();
  }

  @Override
  public void close() {}

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private final class Writer implements BlobWriter {
    private final BlobId id;
    private final Path temp;
    private final FileChannel channel;
    private boolean done;

    Writer(BlobId id, Path temp, FileChannel channel) {
      this.id = id;
      this.temp = temp;
      this.channel = channel;
    }

    @Override
    public void commit() throws IOException {
      if (done) {
        throw new IllegalStateException("blob " + id + " already committed or closed");
      }
      channel.force(true);
      channel.close();
      Path target = path(id);
      Path dir = parentOf(target);
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, DIR_MODE);
        fsyncDirectory(parentOf(dir));
        fsyncDirectory(blobs);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(dir);
      done = true;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return channel.write(src);
    }

    @Override
    public long position() throws IOException {
      return channel.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      channel.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
      channel.truncate(size);
      return this;
    }

    @Override
    public boolean isOpen() {
      return !done && channel.isOpen();
    }

    @Override
    public void close() throws IOException {
      if (!done) {
        done = true;
        channel.close();
        Files.deleteIfExists(temp);
      }
    }
  }
}
