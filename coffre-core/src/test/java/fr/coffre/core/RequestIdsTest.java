package fr.coffre.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
  @Test
  void next_always_sixteenUpperCaseHexDigits() {
    for (int i = 0; i < 1000; i++) {
      assertThat(RequestIds.next()).matches("[0-9A-F]{16}");
    }
  }

  @Test
  void next_calledRepeatedly_givesDistinctIds() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(RequestIds.next());
    }
    assertThat(ids).hasSize(1000);
  }
}
