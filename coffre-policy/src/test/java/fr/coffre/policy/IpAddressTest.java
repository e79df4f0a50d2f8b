package fr.coffre.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "1..2.3",
        "a.b.c.d",
        "1.2.3.4 ",
        "::1::",
        "1:2:3:4:5:6:7:8:9",
        "12345::",
        ":1",
        "1:",
        "gggg::",
        "1:2:3:4:5:6:7:1.2.3.4",
        "example.com"
      })
  void parse_notAnAddress_isNull(String s) {
    assertThat(IpAddress.parse(s)).isNull();
  }

  @ParameterizedTest(name = "{0} in {1} -> {2}")
  @CsvSource({
    "10.1.2.3, 10.0.0.0/8, true",
    "11.0.0.1, 10.0.0.0/8, false",
    "192.0.2.200, 192.0.2.128/25, true",
    "192.0.2.1, 192.0.2.128/25, false",
    "8.8.8.8, 0.0.0.0/0, true",
    "::1, ::1, true",
    "0:0:0:0:0:0:0:1, ::1/128, true",
    "2001:db8::1, 2001:db8::/32, true",
    "2001:db8::1, ::/0, true",
    "10.0.0.1, ::/0, false",
    "2001:db8::1, 0.0.0.0/0, false",
    "fe80::1%eth0, fe80::/10, true",
    "2001:db8:0:0:1:2:3:4, 2001:db8::1:2:3:4/128, true",
    // Coffre's choice: an IPv4-mapped IPv6 address is the IPv4 address.
    "::ffff:203.0.113.7, 203.0.113.0/24, true",
    "203.0.113.7, ::ffff:203.0.113.0/120, true",
    // Host bits below the prefix are ignored.
    "10.9.9.9, 10.1.2.3/8, true",
  })
  void contains_addressAndBlock_asCidrDefines(String address, String block, boolean expected) {
    assertThat(Cidr.parse(block).contains(IpAddress.parse(address))).isEqualTo(expected);
  }
}
