package fr.coffre.crypto;

import fr.coffre.core.BlobId;
import fr.coffre.core.CustomerKey;
import fr.coffre.core.KmsKeyVersion;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each encryption mode costs per object in the crypto layer: a fresh data key wrapped the
 * mode's way, the object's content encrypted under it, then the key unwrapped again as a read does
 * (SSE-S3: the root key; SSE-KMS: a KMS key version; SSE-C: the customer's key and its HMAC check).
 * Content encryption is the same AES-GCM in every mode; only the key path differs. Run with
 * bench/keys.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyModesBenchmark {
  @Param({"SSE-S3", "SSE-KMS", "SSE-C"})
  public String mode;

  @Param({"4096", "67108864"})
  public int size;

  private ObjectCrypto crypto;
  private KeyEncryptionKey kek;
  private CustomerKey customer;
  private byte[] content;
  private final BlobId blob = new BlobId("0123456789abcdef0123456789abcdef");

  @Setup
  public void setUp() throws Exception {
    Path dir = Files.createTempDirectory("keys-bench");
    RootKey root = KeyFileRootKey.openOrCreate(dir.resolve("root.key"));
    KmsKeyVersion version = KmsMaterial.generate(root, "bench-key", 1, Instant.now());
    kek = KmsMaterial.open(root, version);
    crypto = new ObjectCrypto(root, (id, v) -> kek);
    byte[] raw = new byte[32];
    new java.security.SecureRandom().nextBytes(raw);
    customer = new CustomerKey(raw);
    content = new byte[size];
  }

  @Benchmark
  public long writeThenReadKey() throws Exception {
    DataKey key =
        switch (mode) {
          case "SSE-KMS" -> crypto.newDataKey(kek);
          case "SSE-C" -> crypto.newDataKey(customer);
          default -> crypto.newDataKey();
        };
    long written;
    try (key) {
      Sink sink = new Sink();
      try (WritableByteChannel out = crypto.encrypt(key, blob, sink)) {
        out.write(ByteBuffer.wrap(content));
      }
      written = sink.size;
      try (DataKey again =
          crypto.unwrap(key.keyRef(), key.wrapped(), mode.equals("SSE-C") ? customer : null)) {
        written += again.keyRef().length();
      }
    }
    return written;
  }

  /** Counts ciphertext bytes and drops them: the benchmark measures crypto, not a disk. */
  private static final class Sink implements SeekableByteChannel {
    long size;

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      src.position(src.limit());
      size += n;
      return n;
    }

    @Override
    public int read(ByteBuffer dst) {
      return -1;
    }

    @Override
    public long position() {
      return size;
    }

    @Override
    public SeekableByteChannel position(long p) {
      return this;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public SeekableByteChannel truncate(long s) {
      return this;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
