package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BucketRowsTest {
  @Test
  void pastPrefix_isTheFirstStringAfterEveryOneThatStartsWithThePrefix() {
    assertThat(BucketRows.pastPrefix("aa")).isEqualTo("ab");
    assertThat(BucketRows.pastPrefix("a-")).isEqualTo("a.");
    assertThat(BucketRows.pastPrefix("z")).isEqualTo("{");
    assertThat(BucketRows.pastPrefix("")).isNull();
    for (String name : new String[] {"aa", "aa0", "aazzzz", "aa.b"}) {
      assertThat(name.compareTo(BucketRows.pastPrefix("aa"))).as(name).isNegative();
    }
    assertThat("ab".compareTo(BucketRows.pastPrefix("aa"))).isZero();
  }
}
