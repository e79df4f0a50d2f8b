package fr.coffre.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AddressTest {
  private static RawRequest get(String path, String host) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Host", List.of(host));
    return new RawRequest("GET", path, null, headers, false);
  }

  @Test
  void of_pathStyle_decodesKeyOnceAndKeepsPlus() {
    Address a = Address.of(get("/b1/dir/a%20b+c%2Fd", "127.0.0.1:7070"), null);
    assertThat(a).isEqualTo(new Address("b1", "dir/a b+c/d"));
  }

  @Test
  void of_traversalAndDoubleSlashes_stayInKey() {
    Address a = Address.of(get("/b1/../../etc//passwd", "localhost"), null);
    assertThat(a.key()).isEqualTo("../../etc//passwd");
  }

  @Test
  void of_trailingSlashKey_isKept() {
    assertThat(Address.of(get("/b1/folder/", "localhost"), null).key()).isEqualTo("folder/");
  }

  @Test
  void of_bucketOnly_hasNoKey() {
    assertThat(Address.of(get("/b1", "localhost"), null)).isEqualTo(new Address("b1", null));
    assertThat(Address.of(get("/b1/", "localhost"), null)).isEqualTo(new Address("b1", null));
  }

  @Test
  void of_root_isService() {
    assertThat(Address.of(get("/", "localhost"), null)).isEqualTo(new Address(null, null));
  }

  @Test
  void of_virtualHost_takesBucketFromHost() {
    Address a =
        Address.of(get("/photos/x.jpg", "mybucket.s3.example.test:7070"), "s3.example.test");
    assertThat(a).isEqualTo(new Address("mybucket", "photos/x.jpg"));
  }

  @Test
  void of_hostIsDomainItself_isPathStyle() {
    Address a = Address.of(get("/mybucket/k", "s3.example.test"), "s3.example.test");
    assertThat(a).isEqualTo(new Address("mybucket", "k"));
  }
}
