package fr.coffre.s3;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.PlacementRefusedException;
import fr.coffre.core.PlacementRefusedException.Reason;
import org.junit.jupiter.api.Test;

/** The S3 answers of placement refusals, the full volumes' among them. */
class ErrorMapperTest {
  private static S3Exception mapped(Reason reason) {
    return ErrorMapper.toS3(new PlacementRefusedException(reason, "bucket b: " + reason), null);
  }

  @Test
  void fullVolumes_areSlowDown_withRetryAfter_whichEverySdkRetries() {
    S3Exception e = mapped(Reason.FULL);
    assertThat(e.error()).isEqualTo(S3Error.SLOW_DOWN);
    assertThat(e.error().code()).isEqualTo("SlowDown");
    assertThat(e.error().status()).isEqualTo(503);
    assertThat(e.headers())
        .containsEntry("Retry-After", Integer.toString(ErrorMapper.FULL_RETRY_AFTER_SECONDS));
    assertThat(e.getMessage()).isEqualTo("bucket b: FULL");
  }

  @Test
  void otherShortages_keepTheirCodes_withoutRetryAfter() {
    assertThat(mapped(Reason.UNSATISFIABLE).error()).isEqualTo(S3Error.PLACEMENT_NOT_SATISFIABLE);
    assertThat(mapped(Reason.NEVER_SATISFIABLE).error()).isEqualTo(S3Error.PLACEMENT_REFUSED);
    assertThat(mapped(Reason.UNSATISFIABLE).headers()).doesNotContainKey("Retry-After");
  }
}
