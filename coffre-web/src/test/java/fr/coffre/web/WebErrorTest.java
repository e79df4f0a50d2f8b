package fr.coffre.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.AccessDeniedException;
import fr.coffre.core.CorruptDataException;
import fr.coffre.core.KmsKeyException;
import fr.coffre.core.StorageFailureException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class WebErrorTest {
  @Test
  void of_failureWithASafeMessage_showsIt() {
    WebError e = WebError.of(new KmsKeyException(KmsKeyException.Reason.DISABLED, "alias/payroll"));
    assertThat(e).isEqualTo(new WebError(409, "KeyDisabled", "alias/payroll is disabled."));
    assertThat(e.serverFault()).isFalse();
  }

  @Test
  void of_storageFailure_withholdsItsMessage() {
    WebError e =
        WebError.of(
            new StorageFailureException(
                "jdbc:sqlite:/srv/coffre/meta.db is locked", new IOException()));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.code()).isEqualTo("ServiceUnavailable");
    assertThat(e.message()).doesNotContain("jdbc", "/srv").contains("retry");
    assertThat(e.serverFault()).isTrue();
  }

  @Test
  void of_corruptData_withholdsItsMessage() {
    WebError e =
        WebError.of(
            new CorruptDataException(
                "/srv/coffre/blobs/ab/cd: GCM tag mismatch", new IOException()));
    assertThat(e.message()).isEqualTo(WebError.INTERNAL_MESSAGE).doesNotContain("/srv");
  }

  @Test
  void of_accessDenied_givesAFixedText() {
    WebError e =
        WebError.of(new AccessDeniedException("denied by policy deny-payroll on bucket payroll"));
    assertThat(e).isEqualTo(new WebError(403, "AccessDenied", "Access Denied"));
  }

  @Test
  void unexpected_always_500InternalErrorWithoutDetails() {
    assertThat(WebError.unexpected())
        .isEqualTo(new WebError(500, "InternalError", WebError.INTERNAL_MESSAGE));
  }

  @Test
  void body_ofAnError_isErrorAndMessage() {
    WebError.Body body = new WebError(404, "NoSuchTenant", "no tenant named x").body();
    assertThat(body.error()).isEqualTo("NoSuchTenant");
    assertThat(body.message()).isEqualTo("no tenant named x");
  }

  @Test
  void new_statusThatIsNotAnError_refused() {
    assertThatThrownBy(() -> new WebError(200, "Ok", "fine"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("200");
    assertThatThrownBy(() -> new WebError(400, " ", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WebError(400, "X", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
