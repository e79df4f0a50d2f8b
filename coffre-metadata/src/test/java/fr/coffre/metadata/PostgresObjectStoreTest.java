package fr.coffre.metadata;

import static fr.coffre.metadata.TestRecords.tag;
import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.WriteCondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresObjectStoreTest extends ObjectStoreContract {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  @Override
  protected MetadataStore newStore() {
    return PG.newStore();
  }

  @Test
  void list_delimiterOverLargePrefix_costFollowsThePageNotTheKeys() {
    for (int i = 0; i < 3000; i++) {
      store.putObject(record("big/" + i, tag(i)), WriteCondition.NONE);
    }
    store.putObject(record("other", tag(1)), WriteCondition.NONE);
    PostgresMetadataStore postgres = (PostgresMetadataStore) store;
    int before = postgres.listQueries();
    ListPage page = store.list(B, new ListQuery("", "/", null, 1000));
    assertThat(page.commonPrefixes()).containsExactly("big/");
    assertThat(page.objects()).extracting(o -> o.key().value()).containsExactly("other");
    assertThat(postgres.listQueries() - before).isLessThanOrEqualTo(3);
  }
}
