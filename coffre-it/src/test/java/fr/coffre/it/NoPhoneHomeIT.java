package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The server opens no connection the operator did not configure: during a full scenario (start,
 * buckets, objects, multipart, listing, deletes, stop), every TCP and UDP socket the process owns
 * is sampled from /proc every 20 ms, and every peer must be the loopback (or none, for listeners).
 */
class NoPhoneHomeIT {
  private static final List<String> TABLES = List.of("tcp", "tcp6", "udp", "udp6");

  /** The socket inodes a process holds. */
  private static Set<String> socketInodes(long pid) {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (Exception e) {
          // fd closed meanwhile
        }
      }
    } catch (Exception e) {
      // process gone
    }
    return inodes;
  }

  /** The remote endpoints ("table hexaddr:port") of the process's sockets. */
  private static void sample(long pid, Set<String> peers) {
    Set<String> inodes = socketInodes(pid);
    for (String table : TABLES) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table))) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 9 && inodes.contains(f[9])) {
            peers.add(table + " " + f[2]);
          }
        }
      } catch (Exception e) {
        // process gone
      }
    }
  }

  /** Whether a /proc/net remote address (hex, little-endian words) is the loopback or unset. */
  static boolean localOrUnset(String entry) {
    String addr = entry.substring(entry.indexOf(' ') + 1, entry.indexOf(':'));
    if (addr.matches("0+")) {
      return true; // listening or unconnected
    }
    if (addr.length() == 8) {
      return addr.endsWith("7F"); // 127.x.x.x (first byte last in /proc's little-endian form)
    }
    // IPv6: ::1, or IPv4-mapped ::ffff:127.x.x.x
    return addr.equals("00000000000000000000000001000000")
        || (addr.startsWith("0000000000000000FFFF0000") && addr.endsWith("7F"));
  }

  @Test
  void fullScenario_opensNoConnectionBeyondTheLoopback() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/net")), "needs Linux /proc");
    Set<String> peers = new ConcurrentSkipListSet<>();
    AtomicBoolean running = new AtomicBoolean(true);
    ServerProcess server = ServerProcess.start();
    long pid = server.pid();
    Thread sampler =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (running.get()) {
                    sample(pid, peers);
                    try {
                      Thread.sleep(20);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    try (S3Client s3 = S3Clients.modern(server.endpoint())) {
      s3.createBucket(b -> b.bucket("quiet"));
      for (int i = 0; i < 20; i++) {
        int n = i;
        s3.putObject(b -> b.bucket("quiet").key("k" + n), RequestBody.fromString("v" + n));
      }
      s3.listObjectsV2(b -> b.bucket("quiet"));
      s3.getObjectAsBytes(b -> b.bucket("quiet").key("k3"));
      String id = s3.createMultipartUpload(b -> b.bucket("quiet").key("mp")).uploadId();
      String e1 =
          s3.uploadPart(
                  b -> b.bucket("quiet").key("mp").uploadId(id).partNumber(1),
                  RequestBody.fromString("p"))
              .eTag();
      s3.completeMultipartUpload(
          b ->
              b.bucket("quiet")
                  .key("mp")
                  .uploadId(id)
                  .multipartUpload(
                      m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build())));
      for (int i = 0; i < 20; i++) {
        int n = i;
        s3.deleteObject(b -> b.bucket("quiet").key("k" + n));
      }
      s3.deleteObject(b -> b.bucket("quiet").key("mp"));
      s3.deleteBucket(b -> b.bucket("quiet"));
    } finally {
      server.close();
      running.set(false);
      sampler.join();
    }
    assertThat(peers).as("the server's sockets were sampled").isNotEmpty();
    assertThat(peers).allMatch(NoPhoneHomeIT::localOrUnset, "loopback or unset peer");
  }

  @Test
  void localOrUnset_recognisesLoopbackAndRefusesOthers() {
    assertThat(localOrUnset("tcp 0100007F:1F90")).isTrue();
    assertThat(localOrUnset("tcp 00000000:0000")).isTrue();
    assertThat(localOrUnset("tcp6 00000000000000000000000001000000:1F90")).isTrue();
    assertThat(localOrUnset("tcp 08080808:0035")).isFalse();
    assertThat(localOrUnset("udp 0100000A:0035")).isFalse();
  }
}
