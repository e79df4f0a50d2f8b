package fr.coffre.s3.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.lifecycle.LifecycleFilter;
import fr.coffre.service.lifecycle.LifecycleRule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PutBucketLifecycleConfiguration's checks, on the bodies clients send: what is accepted, what it
 * means, and each refusal with S3's code (and message where S3's is known).
 */
class LifecycleConfigurationsTest {
  private static final String NS = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

  private static byte[] config(String... rules) {
    return ("<LifecycleConfiguration "
            + NS
            + ">"
            + String.join("", rules)
            + "</LifecycleConfiguration>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String rule(String id, String scope, String status, String actions) {
    return "<Rule>"
        + (id == null ? "" : "<ID>" + id + "</ID>")
        + scope
        + "<Status>"
        + status
        + "</Status>"
        + actions
        + "</Rule>";
  }

  private static String days(int n) {
    return "<Expiration><Days>" + n + "</Days></Expiration>";
  }

  private static S3Exception refused(byte[] body) {
    return catchThrowableOfType(S3Exception.class, () -> LifecycleConfigurations.check(body));
  }

  private static void assertRefused(byte[] body, S3Error error) {
    S3Exception e = refused(body);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.error()).isEqualTo(error);
  }

  private static void assertRefused(byte[] body, S3Error error, String message) {
    S3Exception e = refused(body);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.error()).isEqualTo(error);
    assertThat(e.getMessage()).isEqualTo(message);
  }

  // ------------------------------------------------------------------ accepted

  @Test
  void check_legacyPrefixRules_meanPrefixFilters_andAreStoredAsWritten() {
    var checked =
        LifecycleConfigurations.check(
            config(
                rule("rule1", "<Prefix>test1/</Prefix>", "Enabled", days(1)),
                rule("rule2", "<Prefix>test2/</Prefix>", "Disabled", days(2))));
    assertThat(checked.rules())
        .containsExactly(
            new LifecycleRule(
                "rule1",
                true,
                LifecycleFilter.prefix("test1/"),
                LifecycleRule.Expiration.afterDays(1),
                null,
                null),
            new LifecycleRule(
                "rule2",
                false,
                LifecycleFilter.prefix("test2/"),
                LifecycleRule.Expiration.afterDays(2),
                null,
                null));
    String stored = new String(S3Xml.write(checked.document()), StandardCharsets.UTF_8);
    assertThat(stored)
        .contains("<ID>rule1</ID><Prefix>test1/</Prefix><Status>Enabled</Status>")
        .contains("<Expiration><Days>1</Days></Expiration>")
        .doesNotContain("<Filter");
    // The job reads the stored document back to the same rules.
    assertThat(LifecycleConfigurations.rules(stored)).isEqualTo(checked.rules());
  }

  @Test
  void check_ruleWithoutId_getsOne_keptAcrossReads() {
    var checked =
        LifecycleConfigurations.check(
            config(rule(null, "<Prefix>a/</Prefix>", "Enabled", days(31))));
    String id = checked.rules().get(0).id();
    assertThat(id).isNotBlank().hasSizeLessThanOrEqualTo(255);
    String stored = new String(S3Xml.write(checked.document()), StandardCharsets.UTF_8);
    assertThat(stored).contains("<ID>" + id + "</ID>");
    assertThat(LifecycleConfigurations.rules(stored).get(0).id()).isEqualTo(id);
  }

  @Test
  void check_filterForms_prefixTagSizeAndAnd() {
    var checked =
        LifecycleConfigurations.check(
            config(
                rule("p", "<Filter><Prefix>logs/</Prefix></Filter>", "Enabled", days(1)),
                rule(
                    "t",
                    "<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>",
                    "Enabled",
                    days(1)),
                rule(
                    "g",
                    "<Filter><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></Filter>",
                    "Enabled",
                    days(1)),
                rule(
                    "l",
                    "<Filter><ObjectSizeLessThan>20</ObjectSizeLessThan></Filter>",
                    "Enabled",
                    days(1)),
                rule(
                    "a",
                    "<Filter><And><Prefix>x/</Prefix><Tag><Key>k1</Key><Value>v1</Value></Tag>"
                        + "<Tag><Key>k2</Key><Value>v2</Value></Tag>"
                        + "<ObjectSizeGreaterThan>1</ObjectSizeGreaterThan>"
                        + "<ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>",
                    "Enabled",
                    days(1)),
                rule("e", "<Filter></Filter>", "Enabled", days(1)),
                rule("e2", "<Filter/>", "Enabled", days(1))));
    assertThat(checked.rules())
        .extracting(LifecycleRule::filter)
        .containsExactly(
            LifecycleFilter.prefix("logs/"),
            new LifecycleFilter("", Map.of("k", "v"), null, null),
            new LifecycleFilter("", Map.of(), 10L, null),
            new LifecycleFilter("", Map.of(), null, 20L),
            new LifecycleFilter("x/", Map.of("k1", "v1", "k2", "v2"), 1L, 100L),
            LifecycleFilter.ALL,
            LifecycleFilter.ALL);
  }

  @Test
  void check_everyAction() {
    var checked =
        LifecycleConfigurations.check(
            config(
                rule(
                    "date",
                    "<Prefix>a</Prefix>",
                    "Enabled",
                    "<Expiration><Date>2017-09-27T00:00:00Z</Date></Expiration>"),
                rule(
                    "marker",
                    "<Filter><Prefix>foo</Prefix></Filter>",
                    "Enabled",
                    "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>"),
                rule(
                    "noncurrent",
                    "<Prefix>b</Prefix>",
                    "Enabled",
                    "<NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays>"
                        + "<NewerNoncurrentVersions>5</NewerNoncurrentVersions></NoncurrentVersionExpiration>"),
                rule(
                    "abort",
                    "<Prefix>c</Prefix>",
                    "Enabled",
                    "<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload>")));
    assertThat(checked.rules().get(0).expiration())
        .isEqualTo(LifecycleRule.Expiration.on(Instant.parse("2017-09-27T00:00:00Z")));
    assertThat(checked.rules().get(1).expiration())
        .isEqualTo(LifecycleRule.Expiration.deleteMarkers());
    assertThat(checked.rules().get(2).noncurrentExpiration())
        .isEqualTo(new LifecycleRule.NoncurrentExpiration(2, 5));
    assertThat(checked.rules().get(3).abortAfterDays()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2017-09-27",
        "2017-09-27T00:00:00Z",
        "2017-09-27T00:00:00.000Z",
        "2017-09-27T00:00:00+00:00",
        "2017-09-27T00:00:00"
      })
  void date_iso8601AtMidnightUtc_accepted_andStoredAsAnInstant(String date) {
    var checked =
        LifecycleConfigurations.check(
            config(
                rule(
                    "d",
                    "<Prefix/>",
                    "Enabled",
                    "<Expiration><Date>" + date + "</Date></Expiration>")));
    assertThat(new String(S3Xml.write(checked.document()), StandardCharsets.UTF_8))
        .contains("<Date>2017-09-27T00:00:00Z</Date>");
  }

  // ------------------------------------------------------------------ refused

  @ParameterizedTest
  @ValueSource(
      strings = {"1970-08-23T03:28:21Z", "2017-09-27T01:00:00Z", "2017-09-27T00:00:00+02:00"})
  void date_notAtMidnightUtc_isInvalidArgument(String date) {
    assertRefused(
        config(
            rule(
                "d", "<Prefix/>", "Enabled", "<Expiration><Date>" + date + "</Date></Expiration>")),
        S3Error.INVALID_ARGUMENT,
        "'Date' must be at midnight GMT");
  }

  @Test
  void date_notADate_isInvalidArgument() {
    assertRefused(
        config(rule("d", "<Prefix/>", "Enabled", "<Expiration><Date>20200101</Date></Expiration>")),
        S3Error.INVALID_ARGUMENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"enabled", "disabled", "invalid", ""})
  void status_otherThanEnabledOrDisabled_isMalformedXml(String status) {
    assertRefused(config(rule("r", "<Prefix>a</Prefix>", status, days(1))), S3Error.MALFORMED_XML);
  }

  @Test
  void status_missing_isMalformedXml() {
    assertRefused(
        config("<Rule><ID>r</ID><Prefix>a</Prefix>" + days(1) + "</Rule>"), S3Error.MALFORMED_XML);
  }

  @Test
  void id_longerThan255_isInvalidArgument() {
    assertRefused(
        config(rule("a".repeat(256), "<Prefix>a</Prefix>", "Enabled", days(1))),
        S3Error.INVALID_ARGUMENT,
        "ID length should not exceed allowed limit of 255");
    LifecycleConfigurations.check(
        config(rule("a".repeat(255), "<Prefix>a</Prefix>", "Enabled", days(1))));
  }

  @Test
  void id_sameTwice_isInvalidArgument() {
    assertRefused(
        config(
            rule("rule1", "<Prefix>a</Prefix>", "Enabled", days(1)),
            rule("rule1", "<Prefix>b</Prefix>", "Enabled", days(2))),
        S3Error.INVALID_ARGUMENT,
        "Rule ID must be unique. Found same ID for more than one rule");
  }

  @Test
  void days_zeroOrNegative_isInvalidArgument_forEachAction() {
    assertRefused(
        config(rule("r", "<Prefix>a</Prefix>", "Enabled", days(0))),
        S3Error.INVALID_ARGUMENT,
        "'Days' for Expiration action must be a positive integer");
    assertRefused(
        config(rule("r", "<Prefix>a</Prefix>", "Enabled", days(-3))), S3Error.INVALID_ARGUMENT);
    assertRefused(
        config(
            rule(
                "r",
                "<Prefix>a</Prefix>",
                "Enabled",
                "<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>")),
        S3Error.INVALID_ARGUMENT,
        "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
    assertRefused(
        config(
            rule(
                "r",
                "<Prefix>a</Prefix>",
                "Enabled",
                "<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>")),
        S3Error.INVALID_ARGUMENT,
        "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
  }

  @Test
  void newerNoncurrentVersions_outside1To100_isInvalidArgument() {
    for (int n : new int[] {0, 101}) {
      assertRefused(
          config(
              rule(
                  "r",
                  "<Prefix>a</Prefix>",
                  "Enabled",
                  "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>"
                      + n
                      + "</NewerNoncurrentVersions></NoncurrentVersionExpiration>")),
          S3Error.INVALID_ARGUMENT);
    }
  }

  @Test
  void expiration_withNothingOrSeveralOfDaysDateMarker_isMalformedXml() {
    for (String e :
        List.of(
            "<Expiration></Expiration>",
            "<Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>",
            "<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>",
            "<Expiration><Days>many</Days></Expiration>")) {
      assertRefused(config(rule("r", "<Prefix>a</Prefix>", "Enabled", e)), S3Error.MALFORMED_XML);
    }
  }

  @Test
  void rule_withoutAction_isInvalidRequest() {
    assertRefused(
        config(rule("r", "<Prefix>a</Prefix>", "Enabled", "")),
        S3Error.INVALID_REQUEST,
        "At least one action needs to be specified in a rule");
  }

  @Test
  void transitions_areRefusedClearly_as400InvalidRequest() {
    S3Exception e =
        refused(
            config(
                rule(
                    "r",
                    "<Prefix>a</Prefix>",
                    "Enabled",
                    "<Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition>")));
    assertThat(e.error()).isEqualTo(S3Error.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("Transition", "not supported", "STANDARD");
    assertRefused(
        config(
            rule(
                "r",
                "<Prefix>a</Prefix>",
                "Enabled",
                days(365)
                    + "<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays>"
                    + "<StorageClass>STANDARD_IA</StorageClass></NoncurrentVersionTransition>")),
        S3Error.INVALID_REQUEST);
    // s3-tests' test_lifecycle_transition_set_invalid_date: a 400 whatever is wrong first.
    assertThat(
            refused(
                    config(
                        rule(
                            "rule1",
                            "<Prefix>test1/</Prefix>",
                            "Enabled",
                            "<Expiration><Date>2023-09-27T00:00:00Z</Date></Expiration>"
                                + "<Transition><Date>1970-08-23T03:28:27Z</Date><StorageClass>GLACIER</StorageClass></Transition>")))
                .error()
                .status())
        .isEqualTo(400);
  }

  @Test
  void prefixAndFilter_bothOrNeither_isMalformedXml() {
    assertRefused(
        config(
            rule("r", "<Prefix>a</Prefix><Filter><Prefix>a</Prefix></Filter>", "Enabled", days(1))),
        S3Error.MALFORMED_XML);
    assertRefused(config(rule("r", "", "Enabled", days(1))), S3Error.MALFORMED_XML);
  }

  @Test
  void filter_withSeveralConditionsOutsideAnd_isMalformedXml() {
    assertRefused(
        config(
            rule(
                "r",
                "<Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter>",
                "Enabled",
                days(1))),
        S3Error.MALFORMED_XML);
    assertRefused(
        config(rule("r", "<Filter><And></And></Filter>", "Enabled", days(1))),
        S3Error.MALFORMED_XML);
  }

  @Test
  void filter_duplicateTagKeys_badSizes_areRefused() {
    assertRefused(
        config(
            rule(
                "r",
                "<Filter><And><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></And></Filter>",
                "Enabled",
                days(1))),
        S3Error.INVALID_REQUEST,
        "Duplicate Tag Keys are not allowed.");
    assertRefused(
        config(
            rule(
                "r",
                "<Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>10</ObjectSizeLessThan></And></Filter>",
                "Enabled",
                days(1))),
        S3Error.INVALID_ARGUMENT);
    assertRefused(
        config(
            rule(
                "r",
                "<Filter><ObjectSizeLessThan>-1</ObjectSizeLessThan></Filter>",
                "Enabled",
                days(1))),
        S3Error.INVALID_ARGUMENT);
  }

  @Test
  void tags_withAbortOrDeleteMarkerExpiration_areInvalidRequest() {
    String tagged = "<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>";
    assertRefused(
        config(
            rule(
                "r",
                tagged,
                "Enabled",
                "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>")),
        S3Error.INVALID_REQUEST,
        "AbortIncompleteMultipartUpload cannot be specified with Tags.");
    assertRefused(
        config(
            rule(
                "r",
                tagged,
                "Enabled",
                "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>")),
        S3Error.INVALID_REQUEST);
  }

  @Test
  void configuration_emptyOrTooManyRules_isMalformedXml() {
    assertRefused(config(), S3Error.MALFORMED_XML);
    String[] rules = new String[LifecycleConfigurations.MAX_RULES + 1];
    for (int i = 0; i < rules.length; i++) {
      rules[i] = rule("r" + i, "<Prefix>a</Prefix>", "Enabled", days(1));
    }
    assertRefused(config(rules), S3Error.MALFORMED_XML);
    LifecycleConfigurations.check(
        config(java.util.Arrays.copyOf(rules, LifecycleConfigurations.MAX_RULES)));
  }

  @Test
  void notXml_isMalformedXml() {
    assertRefused("not xml".getBytes(StandardCharsets.UTF_8), S3Error.MALFORMED_XML);
    assertRefused(new byte[0], S3Error.MALFORMED_XML);
  }
}
