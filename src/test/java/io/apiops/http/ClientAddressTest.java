package io.apiops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The rules of who a client is, and the strict parsing of addresses and ranges behind them. */
class ClientAddressTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 500)).build();
    }

    @Test
    void shouldRefuseToStartWithForwardingAndNoTrustedProxies() {
        ClientAddress open = new ClientAddress(config(Map.of("quarkus.http.proxy.proxy-address-forwarding", "true")));
        assertThatThrownBy(() -> open.checkAtStartup(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("trusted-proxies");

        new ClientAddress(config(Map.of())).checkAtStartup(null);
        new ClientAddress(config(Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.trusted-proxies", "10.0.0.0/8"))).checkAtStartup(null);
    }

    @Test
    void shouldRefuseTrustedProxiesThatAreNotAddresses() {
        for (String entry : new String[] { "proxy.internal", "10.0.0.0/33", "10.0.0.0/-1", "*", "10.0.0" }) {
            assertThatThrownBy(() -> new ClientAddress(config(Map.of("quarkus.http.proxy.proxy-address-forwarding",
                    "true", "quarkus.http.proxy.trusted-proxies", entry)))).as(entry)
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldParseOnlyLiteralAddressesAndValidRanges() {
        for (String good : new String[] { "10.0.0.0/8", "192.0.2.1", "0.0.0.0/0", "2001:db8::/32", "::1", "::/0",
                "[2001:db8::1]", "2001:db8::1/128", "255.255.255.255/32" }) {
            assertThat(IpRange.parse(good)).as(good).isPresent();
        }
        for (String bad : new String[] { "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/08", "2001:db8::/129", "010.0.0.1",
                "10.0.0.256", "10.0.0", "1.2.3.4.5", "localhost", "example.com", "0x7f.0.0.1", "127.1", "",
                " 10.0.0.1", "10.0.0.1 ", "fe80::1%eth0", "2001:db8::g", "10.0.0.0/8/8", "1.2.3.4/+8",
                "１.２.３.４" }) {
            assertThat(IpRange.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void shouldMatchRangesOfTheirOwnFamily() throws Exception {
        IpRange tenSlash8 = IpRange.parse("10.0.0.0/8").orElseThrow();
        assertThat(tenSlash8.contains(InetAddress.getByName("10.255.1.2"))).isTrue();
        assertThat(tenSlash8.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(tenSlash8.contains(InetAddress.getByName("::ffff:10.1.1.1"))).isTrue();
        assertThat(IpRange.parse("10.1.2.3/8").orElseThrow()).isEqualTo(tenSlash8);
        IpRange v6 = IpRange.parse("2001:db8::/32").orElseThrow();
        assertThat(v6.contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(v6.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(IpRange.parse("0.0.0.0/0").orElseThrow().contains(InetAddress.getByName("::1"))).isFalse();
    }

    @Test
    void shouldGroupIpv6ClientsByTheirSlash64() throws Exception {
        assertThat(IpRange.clientKey(InetAddress.getByName("2001:db8:1:2:aaaa::1")))
                .isEqualTo(IpRange.clientKey(InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:ffff")))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(IpRange.clientKey(InetAddress.getByName("2001:db8:1:3::1"))).isNotEqualTo(
                IpRange.clientKey(InetAddress.getByName("2001:db8:1:2::1")));
        assertThat(IpRange.clientKey(InetAddress.getByName("192.0.2.7"))).isEqualTo("192.0.2.7");
        assertThat(IpRange.clientKey(InetAddress.getByName("::ffff:192.0.2.7"))).isEqualTo("192.0.2.7");
    }
}
