package fr.coffre.s3.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.LockState;
import fr.coffre.core.RetentionMode;
import fr.coffre.s3.S3Exception;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lock a write asks for, read from headers or from a browser form's fields. */
class ObjectLockHeadersTest {

  @Test
  void nothingAsked_isNull_soTheBucketDefaultApplies() {
    assertThat(ObjectLockHeaders.requested(Map.<String, String>of()::get)).isNull();
  }

  @Test
  void formFields_giveModeDateAndHold() {
    Map<String, String> fields =
        Map.of(
            "x-amz-object-lock-mode", "COMPLIANCE",
            "x-amz-object-lock-retain-until-date", "2030-01-01T00:00:00.000Z",
            "x-amz-object-lock-legal-hold", "ON");
    assertThat(ObjectLockHeaders.requested(fields::get))
        .isEqualTo(
            new LockState(RetentionMode.COMPLIANCE, Instant.parse("2030-01-01T00:00:00Z"), true));
  }

  @Test
  void aModeWithoutDate_anUnknownModeOrHold_orABadDate_areRefused() {
    assertThatThrownBy(
            () -> ObjectLockHeaders.requested(Map.of("x-amz-object-lock-mode", "GOVERNANCE")::get))
        .isInstanceOf(S3Exception.class);
    assertThatThrownBy(
            () ->
                ObjectLockHeaders.requested(
                    Map.of(
                            "x-amz-object-lock-mode", "governance",
                            "x-amz-object-lock-retain-until-date", "2030-01-01T00:00:00Z")
                        ::get))
        .isInstanceOf(S3Exception.class);
    assertThatThrownBy(
            () -> ObjectLockHeaders.requested(Map.of("x-amz-object-lock-legal-hold", "yes")::get))
        .isInstanceOf(S3Exception.class);
    assertThatThrownBy(
            () ->
                ObjectLockHeaders.requested(
                    Map.of(
                            "x-amz-object-lock-mode", "GOVERNANCE",
                            "x-amz-object-lock-retain-until-date", "1st of January")
                        ::get))
        .isInstanceOf(S3Exception.class);
  }
}
