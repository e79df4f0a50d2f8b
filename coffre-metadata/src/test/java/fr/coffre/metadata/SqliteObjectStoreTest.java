package fr.coffre.metadata;

import static fr.coffre.metadata.TestRecords.tag;
import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.ListPage;
import fr.coffre.core.ListQuery;
import fr.coffre.core.WriteCondition;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteObjectStoreTest extends ObjectStoreContract {
  @TempDir Path dir;

  @Override
  protected MetadataStore newStore() {
    return SqliteMetadataStore.open(dir.resolve("metadata.db"));
  }

  @Test
  void list_delimiterOverLargePrefix_costFollowsThePageNotTheKeys() {
    for (int i = 0; i < 3000; i++) {
      store.putObject(record("big/" + i, tag(i)), WriteCondition.NONE);
    }
    store.putObject(record("other", tag(1)), WriteCondition.NONE);
    SqliteMetadataStore sqlite = (SqliteMetadataStore) store;
    int before = sqlite.listQueries();
    ListPage page = store.list(B, new ListQuery("", "/", null, 1000));
    assertThat(page.commonPrefixes()).containsExactly("big/");
    assertThat(page.objects()).extracting(o -> o.key().value()).containsExactly("other");
    // One query finds "big/0" and jumps past "big/"; one more finds "other" and the end.
    assertThat(sqlite.listQueries() - before).isLessThanOrEqualTo(3);
  }
}
