package fr.coffre.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.CustomerKey;
import fr.coffre.core.CustomerKeyException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomerKeyCryptoTest {
  @TempDir Path dir;

  private static CustomerKey key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return new CustomerKey(k);
  }

  private static CustomerKeyException.Reason reason(Runnable r) {
    try {
      r.run();
    } catch (CustomerKeyException e) {
      return e.reason();
    }
    return null;
  }

  @Test
  void customerWrappedDataKey_opensOnlyWithThatKey() throws Exception {
    ObjectCrypto crypto = new ObjectCrypto(KeyFileRootKey.openOrCreate(dir.resolve("root.key")));
    DataKey written = crypto.newDataKey(key(1));
    assertThat(ObjectCrypto.isCustomerKeyed(written.keyRef())).isTrue();
    assertThat(written.keyRef()).doesNotContain("AQEBAQEB"); // no piece of the key in the reference
    try (DataKey back = crypto.unwrap(written.keyRef(), written.wrapped(), key(1))) {
      assertThat(back.keyRef()).isEqualTo(written.keyRef());
    }
    assertThat(reason(() -> crypto.unwrap(written.keyRef(), written.wrapped(), key(2))))
        .isEqualTo(CustomerKeyException.Reason.MISMATCH);
    assertThat(reason(() -> crypto.unwrap(written.keyRef(), written.wrapped(), null)))
        .isEqualTo(CustomerKeyException.Reason.REQUIRED);
    assertThat(reason(() -> crypto.unwrap(written.keyRef(), written.wrapped())))
        .isEqualTo(CustomerKeyException.Reason.REQUIRED);
    DataKey plain = crypto.newDataKey();
    assertThat(reason(() -> crypto.unwrap(plain.keyRef(), plain.wrapped(), key(1))))
        .isEqualTo(CustomerKeyException.Reason.NOT_APPLICABLE);
    // The root key cannot open a customer-wrapped key: only the customer can.
    assertThatThrownBy(
            () ->
                new ObjectCrypto(KeyFileRootKey.openOrCreate(dir.resolve("root.key")))
                    .unwrap(written.keyRef(), written.wrapped(), key(3)))
        .isInstanceOf(CustomerKeyException.class);
  }
}
