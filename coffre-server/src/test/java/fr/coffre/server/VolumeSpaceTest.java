package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The free-space floor, with the file systems' answers given by the test. */
class VolumeSpaceTest {
  private static final long GIB = 1L << 30;

  @TempDir Path dir;
  private Path data;
  private Path fast;
  private Path slow;
  private final Map<Path, VolumeSpace.Space> answers = new HashMap<>();

  @BeforeEach
  void volumes() throws Exception {
    data = dir;
    fast = Files.createDirectories(dir.resolve("fast/blobs")).getParent();
    slow = Files.createDirectories(dir.resolve("slow/blobs")).getParent();
    answers.put(data, new VolumeSpace.Space(500 * GIB, 1000 * GIB, true));
    answers.put(fast, new VolumeSpace.Space(100 * GIB, 1000 * GIB, true));
    answers.put(slow, new VolumeSpace.Space(40 * GIB, 1000 * GIB, true));
  }

  private VolumeSpace space(String reserve) {
    return new VolumeSpace(
        Map.of("fast", fast, "slow", slow, "gone", dir.resolve("gone")),
        data,
        VolumeSpace.Reserve.parse(reserve),
        answers::get);
  }

  @Test
  void aShareOfTheSize_isKeptFree_onEachVolume() {
    VolumeSpace s = space("5%");
    assertThat(s.writableBytes("fast")).isEqualTo(50 * GIB);
    assertThat(s.writableBytes("slow")).isZero(); // 40 GiB free, 50 GiB kept
  }

  @Test
  void aSize_isKeptFree_onEachVolume() {
    VolumeSpace s = space("30GiB");
    assertThat(s.writableBytes("fast")).isEqualTo(70 * GIB);
    assertThat(s.writableBytes("slow")).isEqualTo(10 * GIB);
  }

  @Test
  void aReadOnlyVolume_isFull_howeverEmpty() {
    answers.put(fast, new VolumeSpace.Space(900 * GIB, 1000 * GIB, false));
    assertThat(space("5%").writableBytes("fast")).isZero();
  }

  @Test
  void theDataDirectoryUnderItsFloor_fillsEveryVolume_soTheAuditTrailKeepsItsReserve() {
    answers.put(data, new VolumeSpace.Space(10 * GIB, 1000 * GIB, true));
    VolumeSpace s = space("5%");
    assertThat(s.writableBytes("fast")).isZero();
    answers.put(data, new VolumeSpace.Space(500 * GIB, 1000 * GIB, false));
    assertThat(s.writableBytes("fast")).isZero();
  }

  @Test
  void theDataDirectoryAboveItsFloor_limitsNoMoreThanItHas() {
    answers.put(data, new VolumeSpace.Space(60 * GIB, 1000 * GIB, true));
    assertThat(space("5%").writableBytes("fast")).isEqualTo(10 * GIB);
  }

  @Test
  void freedSpace_letsWritesInAtTheNextQuestion() {
    VolumeSpace s = space("5%");
    assertThat(s.writableBytes("slow")).isZero();
    answers.put(slow, new VolumeSpace.Space(80 * GIB, 1000 * GIB, true));
    assertThat(s.writableBytes("slow")).isEqualTo(30 * GIB);
  }

  @Test
  void aVolumeWithoutItsDirectory_isOffline_notFull() {
    VolumeSpace s = space("5%");
    assertThat(s.writableBytes("gone")).isNull();
    assertThat(s.writableBytes("unknown")).isNull();
    answers.remove(fast);
    assertThat(s.writableBytes("fast")).isNull();
  }

  @Test
  void noReserve_leavesEveryFreeByteToWrites() {
    assertThat(space("0").writableBytes("slow")).isEqualTo(40 * GIB);
  }

  @Test
  void theRealProbe_readsThisDirectory() {
    VolumeSpace.Space s = VolumeSpace.FILES.probe(dir);
    assertThat(s).isNotNull();
    assertThat(s.total()).isPositive();
    assertThat(s.usable()).isBetween(0L, s.total());
    assertThat(s.writable()).isTrue();
    assertThat(VolumeSpace.FILES.probe(dir.resolve("absent"))).isNull();
  }
}
