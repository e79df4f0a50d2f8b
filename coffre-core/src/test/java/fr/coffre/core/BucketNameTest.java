package fr.coffre.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketNameTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "xn--bucket",
        "sthree-bucket",
        "amzn-s3-demo-bucket",
        "bucket-s3alias",
        "bucket--ol-s3",
        "bucket.mrap",
        "bucket--x-s3",
        "bucket--table-s3"
      })
  void new_reservedPrefixOrSuffix_isRefused(String name) {
    assertThatThrownBy(() -> new BucketName(name))
        .isInstanceOf(InvalidBucketNameException.class)
        .hasMessageContaining("reserved");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"dossiers-patients", "mairie.archives", "a1b", "amzn-s3-demo", "x-s3-bucket"})
  void new_ordinaryName_isAccepted(String name) {
    assertThat(new BucketName(name).value()).isEqualTo(name);
  }
}
