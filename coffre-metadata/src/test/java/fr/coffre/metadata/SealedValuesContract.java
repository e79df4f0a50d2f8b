package fr.coffre.metadata;

import static fr.coffre.metadata.TestRecords.object;
import static fr.coffre.metadata.TestRecords.tag;
import static fr.coffre.metadata.TestRecords.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.CorruptDataException;
import fr.coffre.core.ETag;
import fr.coffre.core.KmsKeyVersion;
import fr.coffre.core.ListQuery;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectRecord;
import fr.coffre.core.PartRecord;
import fr.coffre.core.ShareLinkRecord;
import fr.coffre.core.VersionPage;
import fr.coffre.core.VersionQuery;
import fr.coffre.core.Versioning;
import fr.coffre.core.WriteCondition;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ETags and checksums sealed in the rows ({@link ValueSealer}): what every store must do, on its
 * own database, checked with raw SQL on that database.
 */
public abstract class SealedValuesContract {
  private static final BucketName B = new BucketName("sealed-bucket");
  private static final String UPLOAD = tag(0xaa);
  private static final String CHECKSUM = "CRC32C:yZRlqg==";

  protected MetadataStore store;

  /** A new, empty store; the contract closes it after each test. */
  protected abstract MetadataStore newStore() throws Exception;

  /** A raw connection to the database of the last store made. */
  protected abstract Connection raw() throws SQLException;

  /**
   * A stand-in sealer: not encryption (the cipher has its own tests), but it shows what the store
   * hands it and checks each value comes back to the row it was sealed for.
   */
  static final class TestSealer implements ValueSealer {
    @Override
    public String seal(String value, String context) {
      return PREFIX
          + Base64.getEncoder()
              .encodeToString((context + "\n" + value).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String open(String sealed, String context) {
      String s =
          new String(
              Base64.getDecoder().decode(sealed.substring(PREFIX.length())),
              StandardCharsets.UTF_8);
      if (!s.startsWith(context + "\n")) {
        throw new CorruptDataException("sealed for another row", null);
      }
      return s.substring(context.length() + 1);
    }
  }

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.createBucket(new BucketRecord(B, Instant.EPOCH, "us-east-1"));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private static PartRecord part(int number, int etag, String checksum) {
    return new PartRecord(
        UPLOAD,
        number,
        new BlobSlice(BlobId.random(), 5),
        new ETag(tag(etag)),
        Instant.ofEpochMilli(2000),
        checksum);
  }

  private static ShareLinkRecord share(String etag) {
    return new ShareLinkRecord(
        "share-1",
        "hash-1",
        "default",
        B,
        "k",
        etag,
        "alice",
        "user",
        Instant.EPOCH,
        Instant.EPOCH.plusSeconds(3600),
        null,
        null,
        0,
        null);
  }

  /** Writes one of every row that holds an ETag or a checksum. */
  private void writeEveryKind() {
    store.setVersioning(B, Versioning.ENABLED);
    store.putObject(object(B, "k", tag(1)), WriteCondition.NONE);
    store.putObject(object(B, "k", tag(2)), WriteCondition.NONE); // tag(1) becomes noncurrent
    store.createUpload(upload(B, UPLOAD, "mp", 1000));
    store.putPart(part(1, 3, CHECKSUM));
    store.putPart(part(2, 4, null));
    store.createUpload(upload(B, tag(0xbb), "done", 1000));
    store.completeUpload(tag(0xbb), object(B, "done", tag(5) + "-2"), WriteCondition.NONE);
    store.createShare(share(tag(2)));
  }

  private List<String> column(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = raw();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Every ETag and checksum as the rows hold them. */
  private List<String> stored() throws SQLException {
    List<String> out = new ArrayList<>();
    out.addAll(column("SELECT etag FROM objects"));
    out.addAll(column("SELECT etag FROM object_versions WHERE delete_marker = 0"));
    out.addAll(column("SELECT etag FROM parts"));
    out.addAll(column("SELECT checksum FROM parts WHERE checksum IS NOT NULL"));
    out.addAll(column("SELECT etag FROM completed_uploads"));
    out.addAll(column("SELECT etag FROM share_links"));
    return out;
  }

  private void assertEverythingReadsBack() {
    assertThat(store.object(B, new ObjectKey("k")).orElseThrow().etag())
        .isEqualTo(new ETag(tag(2)));
    assertThat(store.list(B, new ListQuery("", null, null, 10)).objects())
        .extracting(r -> r.etag().value())
        .containsExactly("done".compareTo("k") < 0 ? tag(5) + "-2" : tag(2), tag(2));
    VersionPage versions = store.listVersions(B, new VersionQuery("k", null, null, null, 10));
    assertThat(versions.versions())
        .extracting(e -> ((ObjectRecord) e.version()).etag().value())
        .containsExactly(tag(2), tag(1));
    assertThat(store.parts(UPLOAD, 0, 10))
        .extracting(p -> p.etag().value() + "/" + p.checksum())
        .containsExactly(tag(3) + "/" + CHECKSUM, tag(4) + "/null");
    assertThat(store.completedUpload(B, new ObjectKey("done"), tag(0xbb)))
        .contains(new ETag(tag(5) + "-2"));
    assertThat(store.share("share-1").orElseThrow().etag()).isEqualTo(tag(2));
  }

  @Test
  void withSealer_noETagNorChecksumInClear_everyReadGivesThemBack() throws Exception {
    store.sealValuesWith(new TestSealer());
    writeEveryKind();
    List<String> stored = stored();
    assertThat(stored).hasSize(8).allMatch(v -> v.startsWith(ValueSealer.PREFIX));
    for (String clear : List.of(tag(1), tag(2), tag(3), tag(4), tag(5), CHECKSUM)) {
      assertThat(stored).noneMatch(v -> v.contains(clear));
    }
    assertEverythingReadsBack();
    // a conditional write compares the clear ETags
    assertThat(
            store
                .putObject(object(B, "k", tag(6)), new WriteCondition(false, new ETag(tag(2))))
                .stored()
                .etag())
        .isEqualTo(new ETag(tag(6)));
    assertThat(store.sealClearValues(100)).isZero();
  }

  @Test
  void rowsWrittenInClear_readAsTheyAre_thenSealedInResumableBatches() throws Exception {
    writeEveryKind(); // no sealer yet: rows as an earlier version wrote them
    assertThat(stored()).hasSize(8).noneMatch(v -> v.startsWith(ValueSealer.PREFIX));
    assertThat(store.sealClearValues(100)).as("no sealer, nothing sealed").isZero();
    store.sealValuesWith(new TestSealer());
    assertEverythingReadsBack();
    assertThat(store.sealClearValues(3)).isEqualTo(3);
    assertThat(stored()).filteredOn(v -> v.startsWith(ValueSealer.PREFIX)).hasSize(3);
    assertEverythingReadsBack(); // half sealed, half clear
    int more;
    int total = 3;
    while ((more = store.sealClearValues(3)) > 0) {
      total += more;
    }
    assertThat(total).isEqualTo(8);
    assertThat(stored()).allMatch(v -> v.startsWith(ValueSealer.PREFIX));
    assertEverythingReadsBack();
  }

  @Test
  void sealedValueMovedToAnotherRow_isRefused() throws Exception {
    store.sealValuesWith(new TestSealer());
    store.putObject(object(B, "a", tag(1)), WriteCondition.NONE);
    store.putObject(object(B, "b", tag(2)), WriteCondition.NONE);
    try (Connection c = raw();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE objects SET etag = (SELECT etag FROM objects WHERE key = "
              + "(SELECT key FROM objects ORDER BY key LIMIT 1)) WHERE etag <> ''");
    }
    assertThat(store.object(B, new ObjectKey("a")).orElseThrow().etag())
        .isEqualTo(new ETag(tag(1)));
    assertThatThrownBy(() -> store.object(B, new ObjectKey("b")))
        .isInstanceOf(CorruptDataException.class);
  }

  @Test
  void sealedValue_withoutTheSealer_isNotReadAsAnETag() throws Exception {
    store.sealValuesWith(new TestSealer());
    store.putObject(object(B, "a", tag(1)), WriteCondition.NONE);
    store.close();
    store = reopen();
    assertThatThrownBy(() -> store.object(B, new ObjectKey("a"))).hasMessageContaining("root key");
  }

  /** The same database opened again (a new process). */
  protected abstract MetadataStore reopen() throws Exception;

  @Test
  void sealingKey_storedOnce_firstOneWins_andRewrapped() {
    assertThat(store.sealingKey()).isEmpty();
    KmsKeyVersion first = new KmsKeyVersion("seal-1", 1, "root-1", new byte[] {1}, Instant.EPOCH);
    KmsKeyVersion second = new KmsKeyVersion("seal-1", 1, "root-1", new byte[] {2}, Instant.EPOCH);
    assertThat(store.addSealingKey(first).wrappedMaterial()).containsExactly(1);
    assertThat(store.addSealingKey(second).wrappedMaterial()).containsExactly(1);
    KmsKeyVersion rewrapped =
        new KmsKeyVersion("seal-1", 1, "root-2", new byte[] {3}, Instant.EPOCH);
    assertThat(store.rewrapSealingKey(second, rewrapped)).isFalse();
    assertThat(store.rewrapSealingKey(store.sealingKey().orElseThrow(), rewrapped)).isTrue();
    assertThat(store.sealingKey().orElseThrow().rootKeyId()).isEqualTo("root-2");
  }
}
