package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.ETag;
import fr.coffre.core.NotModifiedException;
import fr.coffre.core.PreconditionFailedException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReadConditionsTest {
  private static final ETag TAG = new ETag("0123456789abcdef0123456789abcdef");
  private static final Instant MODIFIED = Instant.parse("2026-01-01T10:00:00.456Z");

  @Test
  void ifMatch_otherTag_failsPrecondition() {
    var c = new ReadConditions("\"ffffffffffffffffffffffffffffffff\"", null, null, null);
    assertThatThrownBy(() -> c.check(TAG, MODIFIED, false))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void ifMatch_sameTagInList_holdsEvenIfUnmodifiedSinceFails() {
    var c =
        new ReadConditions(
            "\"aaaa\", \"" + TAG.value() + "\"", null, null, Instant.parse("2020-01-01T00:00:00Z"));
    assertThatCode(() -> c.check(TAG, MODIFIED, false)).doesNotThrowAnyException();
  }

  @Test
  void ifUnmodifiedSince_before_failsPrecondition() {
    var c = new ReadConditions(null, null, null, Instant.parse("2025-12-31T00:00:00Z"));
    assertThatThrownBy(() -> c.check(TAG, MODIFIED, false))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void ifNoneMatch_sameTag_notModified() {
    var c = new ReadConditions(null, TAG.quoted(), null, null);
    assertThatThrownBy(() -> c.check(TAG, MODIFIED, false))
        .isInstanceOf(NotModifiedException.class);
  }

  @Test
  void ifNoneMatch_sameTagOnCopySource_failsPrecondition() {
    var c = new ReadConditions(null, TAG.quoted(), null, null);
    assertThatThrownBy(() -> c.check(TAG, MODIFIED, true))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void ifModifiedSince_sameSecond_notModified() {
    // HTTP dates have no milliseconds: the object modified at 10:00:00.456 is not newer than
    // 10:00:00.
    var c = new ReadConditions(null, null, Instant.parse("2026-01-01T10:00:00Z"), null);
    assertThatThrownBy(() -> c.check(TAG, MODIFIED, false))
        .isInstanceOf(NotModifiedException.class);
  }

  @Test
  void ifModifiedSince_earlier_holds() {
    var c = new ReadConditions(null, null, Instant.parse("2026-01-01T09:59:59Z"), null);
    assertThatCode(() -> c.check(TAG, MODIFIED, false)).doesNotThrowAnyException();
  }

  @Test
  void ifNoneMatch_otherTag_ignoresIfModifiedSince() {
    var c = new ReadConditions(null, "\"other\"", Instant.parse("2030-01-01T00:00:00Z"), null);
    assertThatCode(() -> c.check(TAG, MODIFIED, false)).doesNotThrowAnyException();
  }
}
