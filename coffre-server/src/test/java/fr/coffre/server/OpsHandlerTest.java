package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsHandlerTest {
  private static final String TOKEN = "an-ops-token-0123456789";

  @Test
  void metrics_withAToken_needThatBearerToken() {
    OpsHandler ops = new OpsHandler(null, Map::of, TOKEN);
    assertThat(ops.authorized("Bearer " + TOKEN)).isTrue();
    assertThat(ops.authorized("bearer " + TOKEN + " ")).isTrue();
    assertThat(ops.authorized(null)).isFalse();
    assertThat(ops.authorized("Bearer " + TOKEN + "x")).isFalse();
    assertThat(ops.authorized("Basic " + TOKEN)).isFalse();
    assertThat(ops.authorized("Bearer")).isFalse();
    assertThat(ops.authorized(TOKEN)).isFalse();
  }

  @Test
  void metrics_withoutAToken_areOpen() {
    assertThat(new OpsHandler(null, Map::of, null).authorized(null)).isTrue();
  }
}
