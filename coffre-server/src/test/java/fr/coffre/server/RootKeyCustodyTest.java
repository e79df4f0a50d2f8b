package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.crypto.EscrowShare;
import fr.coffre.crypto.KeyFileRootKey;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyPin.Mode;
import fr.coffre.crypto.SealedRootKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootKeyCustodyTest {
  private static final List<String> CUSTODIANS = List.of("alice", "bob", "carol", "dan", "erin");
  private static final byte[] CONTEXT = "custody".getBytes();
  private static final char[] PASSPHRASE = "une phrase de passe assez longue".toCharArray();
  @TempDir Path work;

  private Path fileModeDirectory(String name) throws Exception {
    Path data = work.resolve(name);
    Path keys = data.resolve("keys");
    Files.createDirectories(keys);
    KeyFileRootKey key = KeyFileRootKey.openOrCreate(keys.resolve(RootKeys.DEV_KEY_FILE));
    RootKeyPin.of(Mode.FILE, key).write(keys);
    return data;
  }

  private Path sealedDirectory(String name) throws Exception {
    Path data = work.resolve(name);
    Path keys = data.resolve("keys");
    SealedRootKey key =
        SealedRootKey.at(keys.resolve(RootKeys.SEALED_KEY_FILE), SealedRootKey.Cost.DEFAULT);
    key.create(PASSPHRASE);
    key.unseal(PASSPHRASE);
    RootKeyPin.of(Mode.SEALED, key).write(keys);
    return data;
  }

  private static Map<String, String> shares(List<Path> files, int... indexes) throws Exception {
    Map<String, String> picked = new LinkedHashMap<>();
    for (int i : indexes) {
      picked.put(files.get(i - 1).toString(), Files.readString(files.get(i - 1)));
    }
    return picked;
  }

  @Test
  void fileMode_escrowFiveThree_keyLost_anyThreeShares_rebuildTheSameKey() throws Exception {
    Path data = fileModeDirectory("data");
    Path keyFile = data.resolve("keys").resolve(RootKeys.DEV_KEY_FILE);
    byte[] original = Files.readAllBytes(keyFile);
    RootKey before = KeyFileRootKey.openOrCreate(keyFile);
    byte[] wrapped = before.wrap(new byte[] {4, 2}, CONTEXT);

    RootKeyEscrow escrow = RootKeyEscrow.split(data, 5, 3, CUSTODIANS, null);
    assertThat(escrow.keyId()).isEqualTo(before.id());
    List<Path> files = escrow.writeTo(work.resolve("shares"), data);
    assertThat(files).extracting(f -> f.getFileName().toString()).contains("alice.share");
    for (Path f : files) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
          .isEqualTo("rw-------");
      assertThat(Files.readString(f)).doesNotContain(java.util.HexFormat.of().formatHex(original));
    }

    for (int[] subset : new int[][] {{1, 3, 5}, {2, 4, 5}, {5, 4, 3, 2, 1}}) {
      Files.delete(keyFile);
      RootKeyRecovery done = RootKeyRecovery.recover(data, shares(files, subset), null);
      assertThat(done.installed()).isTrue();
      assertThat(done.keyId()).isEqualTo(before.id());
      assertThat(Files.readAllBytes(keyFile)).isEqualTo(original);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
          .isEqualTo("rw-------");
      assertThat(KeyFileRootKey.openOrCreate(keyFile).unwrap(wrapped, CONTEXT))
          .containsExactly(4, 2);
    }
    // The same key already there: nothing to do.
    assertThat(RootKeyRecovery.recover(data, shares(files, 1, 2, 3), null).installed()).isFalse();
    // The custody log: public labels only, never a share.
    Path log = data.resolve("keys").resolve(RootKeyCustody.LOG_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
        .isEqualTo("rw-------");
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0))
        .contains(
            " escrow key=" + before.id(),
            "set=" + escrow.setId(),
            "threshold=3 shares=5 custodians=alice,bob,carol,dan,erin");
    assertThat(lines.get(1)).contains(" recovery key=", "shares=1,3,5 installed=dev-root.key");
    assertThat(lines.get(3)).contains("shares=1,2,3,4,5 installed=dev-root.key");
    assertThat(lines.get(4)).contains("shares=1,2,3 already-in-place");
    String shareData = EscrowShare.parse(Files.readString(files.get(0))).encode();
    assertThat(Files.readString(log))
        .doesNotContain(
            shareData.substring(shareData.indexOf("data=") + 5, shareData.indexOf("data=") + 24));
  }

  @Test
  void fewerSharesThanTheThreshold_areRefused_andAForgedThresholdGivesAKeyThePinRefuses()
      throws Exception {
    Path data = fileModeDirectory("data");
    Path keyFile = data.resolve("keys").resolve(RootKeys.DEV_KEY_FILE);
    List<Path> files =
        RootKeyEscrow.split(data, 5, 3, CUSTODIANS, null).writeTo(work.resolve("shares"), data);
    Files.delete(keyFile);
    assertThatThrownBy(() -> RootKeyRecovery.recover(data, shares(files, 1, 4), null))
        .isInstanceOf(CustodyException.class)
        .hasMessageContaining("3 shares of set")
        .hasMessageContaining("2 given");
    assertThat(keyFile).doesNotExist();

    // Two shares relabelled as a 2-of-5 escrow (check value recomputed, as a forger could):
    // the arithmetic yields some key, never this one, and the pin refuses it.
    Map<String, String> forged = new LinkedHashMap<>();
    for (int i : new int[] {1, 4}) {
      EscrowShare s = EscrowShare.parse(Files.readString(files.get(i - 1)));
      forged.put(
          "forged-" + i,
          new EscrowShare(s.keyId(), s.setId(), s.custodian(), s.index(), 5, 2, s.data()).encode());
    }
    assertThatThrownBy(() -> RootKeyRecovery.recover(data, forged, null))
        .isInstanceOf(CustodyException.class)
        .hasMessageContaining("is not this data directory's root key");
    assertThat(keyFile).doesNotExist();
  }

  @Test
  void sharesOfAnotherKey_orOfTwoEscrows_orGivenTwice_areRefused() throws Exception {
    Path data = fileModeDirectory("data");
    Path other = fileModeDirectory("other");
    List<Path> mine =
        RootKeyEscrow.split(data, 5, 3, List.of(), null).writeTo(work.resolve("a"), data);
    List<Path> again =
        RootKeyEscrow.split(data, 5, 3, List.of(), null).writeTo(work.resolve("b"), data);
    List<Path> theirs =
        RootKeyEscrow.split(other, 5, 3, List.of(), null).writeTo(work.resolve("c"), other);
    assertThat(mine.get(0).getFileName()).hasToString("custodian-1.share");
    Files.delete(data.resolve("keys").resolve(RootKeys.DEV_KEY_FILE));

    Map<String, String> foreign = shares(mine, 1, 2);
    foreign.putAll(shares(theirs, 3));
    assertThatThrownBy(() -> RootKeyRecovery.recover(data, foreign, null))
        .hasMessageContaining("is a share of root key")
        .hasMessageContaining("not of this data directory's key");

    Map<String, String> mixed = shares(mine, 1, 2);
    mixed.putAll(shares(again, 3));
    assertThatThrownBy(() -> RootKeyRecovery.recover(data, mixed, null))
        .hasMessageContaining("shares of two escrows do not combine");

    Map<String, String> twice = shares(mine, 1, 2);
    twice.put("copy of share 2", Files.readString(mine.get(1)));
    assertThatThrownBy(() -> RootKeyRecovery.recover(data, twice, null))
        .hasMessageContaining("share 2 was given twice");

    Map<String, String> typo = shares(mine, 1, 2, 3);
    typo.put(
        mine.get(2).toString(), typo.get(mine.get(2).toString()).replace("share=3/5", "share=4/5"));
    assertThatThrownBy(() -> RootKeyRecovery.recover(data, typo, null))
        .hasMessageContaining(mine.get(2).toString())
        .hasMessageContaining("check value does not match");
    assertThat(data.resolve("keys").resolve(RootKeys.DEV_KEY_FILE)).doesNotExist();
  }

  @Test
  void recovery_neverReplacesAnotherKeyFile_norRunsBesideAServer() throws Exception {
    Path data = fileModeDirectory("data");
    Path keyFile = data.resolve("keys").resolve(RootKeys.DEV_KEY_FILE);
    List<Path> files =
        RootKeyEscrow.split(data, 3, 2, List.of("a", "b", "c"), null)
            .writeTo(work.resolve("s"), data);
    Files.delete(keyFile);
    KeyFileRootKey.openOrCreate(keyFile); // a new, different key
    byte[] intruder = Files.readAllBytes(keyFile);
    assertThatThrownBy(() -> RootKeyRecovery.recover(data, shares(files, 1, 2), null))
        .hasMessageContaining("holds another key")
        .hasMessageContaining("never replaces");
    assertThat(Files.readAllBytes(keyFile)).isEqualTo(intruder);

    Files.delete(keyFile);
    try (DataDirectory running = DataDirectory.lock(data)) {
      assertThatThrownBy(() -> RootKeyRecovery.recover(data, shares(files, 1, 2), null))
          .hasMessageContaining("stop the server");
    }
    assertThat(keyFile).doesNotExist();
  }

  @Test
  void sealedMode_escrowNeedsThePassphrase_recoveryResealsUnderANewOne() throws Exception {
    Path data = sealedDirectory("sealed");
    Path keyFile = data.resolve("keys").resolve(RootKeys.SEALED_KEY_FILE);
    SealedRootKey before = SealedRootKey.at(keyFile, SealedRootKey.Cost.DEFAULT);
    before.unseal(PASSPHRASE);
    byte[] wrapped = before.wrap(new byte[] {7}, CONTEXT);

    assertThatThrownBy(() -> RootKeyEscrow.split(data, 5, 3, CUSTODIANS, null))
        .hasMessageContaining("passphrase-sealed")
        .hasMessageContaining("--passphrase-file");
    assertThatThrownBy(
            () ->
                RootKeyEscrow.split(
                    data, 5, 3, CUSTODIANS, "pas la bonne phrase du tout".toCharArray()))
        .hasMessageContaining("does not open");
    List<Path> files =
        RootKeyEscrow.split(data, 5, 3, CUSTODIANS, PASSPHRASE).writeTo(work.resolve("s"), data);
    assertThat(Files.readString(files.get(0))).contains("key=" + before.id());

    Files.delete(keyFile);
    assertThatThrownBy(() -> RootKeyRecovery.recover(data, shares(files, 2, 3, 5), null))
        .hasMessageContaining("new passphrase");
    assertThatThrownBy(
            () -> RootKeyRecovery.recover(data, shares(files, 2, 3, 5), "court".toCharArray()))
        .hasMessageContaining("at least 12 characters");
    assertThat(keyFile).doesNotExist();
    char[] fresh = "une nouvelle phrase pour la clef".toCharArray();
    RootKeyRecovery done = RootKeyRecovery.recover(data, shares(files, 2, 3, 5), fresh);
    assertThat(done.installed()).isTrue();

    SealedRootKey after = SealedRootKey.at(keyFile, SealedRootKey.Cost.DEFAULT);
    assertThatThrownBy(() -> after.unseal(PASSPHRASE))
        .isInstanceOf(java.security.GeneralSecurityException.class);
    after.unseal(fresh);
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(after.unwrap(wrapped, CONTEXT)).containsExactly(7);
    RootKeyPin.read(data.resolve("keys")).orElseThrow().requireKey(after);
  }

  @Test
  void hsmMode_isRefused_namingTheVendorBackup() throws Exception {
    Path data = work.resolve("hsm");
    new RootKeyPin(Mode.HSM, "pkcs11:coffre-root", "AAAA").write(data.resolve("keys"));
    assertThatThrownBy(() -> RootKeyEscrow.split(data, 5, 3, List.of(), null))
        .isInstanceOf(CustodyException.class)
        .hasMessageContaining("non-extractable")
        .hasMessageContaining("HSM's own");
    assertThatThrownBy(() -> RootKeyRecovery.recover(data, Map.of(), null))
        .hasMessageContaining("non-extractable");
  }

  @Test
  void badParameters_andDirectoriesWithoutAKey_areRefusedClearly() throws Exception {
    Path data = fileModeDirectory("data");
    assertThatThrownBy(() -> RootKeyEscrow.split(data, 5, 1, List.of(), null))
        .hasMessageContaining("at least 2");
    assertThatThrownBy(() -> RootKeyEscrow.split(data, 5, 3, List.of("a", "b"), null))
        .hasMessageContaining("2 custodians named for 5 shares");
    assertThatThrownBy(() -> RootKeyEscrow.split(data, 2, 2, List.of("a", "a"), null))
        .hasMessageContaining("named twice");
    assertThatThrownBy(() -> RootKeyEscrow.split(data, 2, 2, List.of("a", "../b"), null))
        .hasMessageContaining("custodian name");
    Path empty = work.resolve("empty");
    Files.createDirectories(empty.resolve("keys"));
    assertThatThrownBy(() -> RootKeyEscrow.split(empty, 5, 3, List.of(), null))
        .hasMessageContaining("has no recorded root key");
    assertThatThrownBy(() -> RootKeyRecovery.recover(work.resolve("nothing"), Map.of(), null))
        .hasMessageContaining("not a Coffre data directory");

    RootKeyEscrow escrow = RootKeyEscrow.split(data, 2, 2, List.of("a", "b"), null);
    Path out = work.resolve("out");
    escrow.writeTo(out, data);
    assertThatThrownBy(() -> escrow.writeTo(out, data))
        .hasMessageContaining("a share is written once");
  }
}
