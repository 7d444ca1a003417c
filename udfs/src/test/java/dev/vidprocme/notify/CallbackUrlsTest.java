package dev.vidprocme.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackUrlsTest {
    /** Resolves every name to the address written in its first label, e.g. {@code 10.0.0.1.x}. */
    private static final CallbackUrls.Resolver TABLE =
            host -> {
                if (host.equals("public.example")) {
                    return new InetAddress[] {InetAddress.getByName("93.184.216.34")};
                }
                if (host.equals("mixed.example")) {
                    return new InetAddress[] {
                        InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.1.2.3")
                    };
                }
                if (host.equals("mapped.example")) {
                    return new InetAddress[] {
                        Inet6Address.getByAddress(
                                null,
                                HexFormat.of().parseHex("00000000000000000000ffff7f000001"),
                                -1)
                    };
                }
                throw new UnknownHostException(host);
            };

    @ParameterizedTest
    @CsvSource({
        "http://127.0.0.1/hook, loopback",
        "http://127.8.9.10:8080/hook, loopback",
        "http://[::1]/hook, loopback",
        "http://localhost:9000/hook, loopback",
        "http://10.0.0.5/hook, private",
        "http://172.16.0.1/hook, private",
        "http://172.31.255.255/hook, private",
        "http://192.168.1.1/hook, private",
        "http://[fc00::1]/hook, private (fc00::/7)",
        "http://[fd12:3456::1]/hook, private (fc00::/7)",
        "http://169.254.169.254/latest/meta-data, link-local",
        "http://[fe80::1]/hook, link-local",
        "http://100.64.0.1/hook, carrier-grade NAT",
        "http://100.127.255.255/hook, carrier-grade NAT",
        "http://224.0.0.1/hook, multicast",
        "http://[ff02::1]/hook, multicast",
        "http://0.0.0.0/hook, unspecified",
        "http://[::]/hook, unspecified",
        "http://[::ffff:10.0.0.1]/hook, private",
        "http://mapped.example/hook, IPv4-mapped loopback",
        "http://mixed.example/hook, private",
        "http://255.255.255.255/hook, broadcast"
    })
    void refusesInternalAddresses(String url, String why) {
        assertThatThrownBy(() -> CallbackUrls.check(url, AllowList.NONE, resolver()))
                .isInstanceOf(CallbackRefusedException.class)
                .hasMessageContaining(why)
                .hasMessageContaining("vidproc.webhook.allow");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://public.example/x",
                "file:///etc/passwd",
                "gopher://public.example/",
                "http://user:pw@public.example/hook",
                "http:///nohost",
                "http://public.example/a#frag",
                "not a url",
                "",
                "http://metadata.google.internal/computeMetadata/v1/"
            })
    void refusesMalformedOrDangerousUrls(String url) {
        assertThatThrownBy(() -> CallbackUrls.check(url, AllowList.NONE, resolver()))
                .isInstanceOf(CallbackRefusedException.class)
                .hasMessageContaining("callbackUrl");
    }

    @Test
    void unresolvableHostsAreRefused() {
        assertThatThrownBy(
                        () ->
                                CallbackUrls.check(
                                        "https://nowhere.invalid/x", AllowList.NONE, TABLE))
                .isInstanceOf(CallbackRefusedException.class)
                .hasMessageContaining("does not resolve");
    }

    @Test
    void publicHostsPassWithTheirAddressesAndPort() throws Exception {
        CheckedCallback c =
                CallbackUrls.check("https://public.example/hooks?x=1", AllowList.NONE, TABLE);

        assertThat(c.host()).isEqualTo("public.example");
        assertThat(c.port()).isEqualTo(443);
        assertThat(c.https()).isTrue();
        assertThat(c.addresses()).containsExactly(InetAddress.getByName("93.184.216.34"));
        assertThat(CallbackUrls.check("http://public.example:8081/", AllowList.NONE, TABLE).port())
                .isEqualTo(8081);
    }

    @Test
    void allowListedHostsAndRangesPass() throws Exception {
        AllowList allow = AllowList.parse("localhost, 10.1.0.0/16 ,fd00::/8");

        assertThat(CallbackUrls.check("http://localhost:9000/h", allow).addresses()).isNotEmpty();
        assertThat(CallbackUrls.check("http://10.1.200.3/h", allow).port()).isEqualTo(80);
        assertThat(CallbackUrls.check("http://[fd00::5]/h", allow).host()).isEqualTo("fd00::5");
        assertThatThrownBy(() -> CallbackUrls.check("http://10.2.0.1/h", allow))
                .isInstanceOf(CallbackRefusedException.class);
        assertThatThrownBy(() -> CallbackUrls.check("http://127.0.0.1/h", allow))
                .isInstanceOf(CallbackRefusedException.class);
        assertThat(CallbackUrls.check("http://127.0.0.1:1/h", AllowList.parse("127.0.0.1")).port())
                .isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/x", "bad host!", "::1/129"})
    void malformedAllowListEntriesAreNamed(String entry) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AllowList.parse(entry))
                .withMessageContaining(entry);
    }

    /** The table for invented names, the system resolver for the rest (localhost, literals). */
    private static CallbackUrls.Resolver resolver() {
        return host -> {
            try {
                return TABLE.resolve(host);
            } catch (UnknownHostException e) {
                return InetAddress.getAllByName(host);
            }
        };
    }
}
