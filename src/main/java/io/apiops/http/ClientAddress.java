package io.apiops.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.SocketAddressImpl;

/**
 * Who the client of a request is, for the failed-login limit, the audit trail and address-limited tokens alike.
 * <p>
 * Without forwarding it is the connection's peer. Behind proxies (Quarkus's {@code quarkus.http.proxy.*} settings) a
 * forwarding header is read only when the peer is a trusted proxy, and then from the right: each proxy appends the
 * address it saw, so the entries left of the last trusted hop were written by the client and prove nothing. The client
 * is the rightmost entry that is not itself a trusted proxy. The framework's own forwarding takes the leftmost entry,
 * so the peer here is always the socket's, never a rewritten one.
 * <p>
 * Forwarding with no trusted proxies would let every sender choose its address: the service refuses to start so.
 */
@Singleton
public class ClientAddress {

    private final boolean forwarding;
    private final boolean xForwardedFor;
    private final boolean forwarded;
    private final List<IpRange> trustedProxies;

    public ClientAddress(Config config) {
        this.forwarding = flag(config, "quarkus.http.proxy.proxy-address-forwarding");
        this.forwarded = flag(config, "quarkus.http.proxy.allow-forwarded");
        this.xForwardedFor = flag(config, "quarkus.http.proxy.allow-x-forwarded") || !forwarded;
        this.trustedProxies = trustedProxies(config);
    }

    void checkAtStartup(@Observes StartupEvent start) {
        if (forwarding && trustedProxies.isEmpty()) {
            throw new IllegalStateException("quarkus.http.proxy.proxy-address-forwarding is on but "
                    + "quarkus.http.proxy.trusted-proxies is empty: every client could choose its address. "
                    + "Name the proxies (addresses or CIDR ranges) or turn forwarding off");
        }
    }

    /** The client's address, or empty when the connection has none (a Unix socket). */
    public Optional<InetAddress> of(HttpServerRequest request) {
        Optional<InetAddress> peer = peer(request);
        if (!forwarding || peer.isEmpty() || !isTrusted(peer.get())) {
            return peer;
        }
        List<String> hops = hops(request);
        InetAddress client = peer.get();
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = IpRange.parseAddress(stripPort(hops.get(i)));
            if (hop.isEmpty()) {
                // A trusted proxy passed on something that is no address: the last address it vouched for stands.
                return Optional.of(client);
            }
            client = hop.get();
            if (!isTrusted(client)) {
                return Optional.of(client);
            }
        }
        return Optional.of(client);
    }

    /** The key under which the failed-login limit counts a client: the address, or its /64 network for IPv6. */
    public String limitKey(HttpServerRequest request) {
        return of(request).map(IpRange::clientKey).orElse("unknown");
    }

    /** The client's address as text for the audit trail and last-use records. */
    public String text(HttpServerRequest request) {
        return of(request).map(InetAddress::getHostAddress).orElse(null);
    }

    private boolean isTrusted(InetAddress address) {
        for (IpRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The connection's peer. Its text comes from the socket, always a numeric literal, so it is parsed without the
     * strict checks that forwarded entries need (and never looked up): the bearer check asks for it on every request
     * with an address-limited token.
     */
    private static Optional<InetAddress> peer(HttpServerRequest request) {
        SocketAddress remote = request.connection() == null ? null : request.connection().remoteAddress();
        if (remote instanceof SocketAddressImpl socket && socket.ipAddress() != null) {
            // The address the socket already holds: nothing to parse.
            return Optional.of(socket.ipAddress());
        }
        String host = remote == null ? null : remote.hostAddress();
        if (host == null || host.isEmpty() || !(Character.digit(host.charAt(0), 16) >= 0 || host.charAt(0) == ':')) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The forwarded-for entries of every header line, in the order the proxies appended them. */
    private List<String> hops(HttpServerRequest request) {
        List<String> hops = new ArrayList<>();
        if (forwarded && request.headers().contains("Forwarded")) {
            for (String line : request.headers().getAll("Forwarded")) {
                for (String element : line.split(",", -1)) {
                    hops.add(forParameter(element));
                }
            }
        } else if (xForwardedFor) {
            for (String line : request.headers().getAll("X-Forwarded-For")) {
                for (String entry : line.split(",", -1)) {
                    hops.add(entry.strip());
                }
            }
        }
        return hops;
    }

    /** The {@code for} parameter of one RFC 7239 element, unquoted; empty when it has none. */
    private static String forParameter(String element) {
        for (String pair : element.split(";", -1)) {
            String trimmed = pair.strip();
            if (trimmed.regionMatches(true, 0, "for=", 0, 4)) {
                String value = trimmed.substring(4);
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return "";
    }

    /** {@code 192.0.2.1:4711} and {@code [2001:db8::1]:4711} without their port. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close < 0 ? hop : hop.substring(0, close + 1);
        }
        int colon = hop.indexOf(':');
        return colon >= 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    private static boolean flag(Config config, String name) {
        return config.getOptionalValue(name, Boolean.class).orElse(false);
    }

    private static List<IpRange> trustedProxies(Config config) {
        List<IpRange> ranges = new ArrayList<>();
        for (String entry : config.getOptionalValues("quarkus.http.proxy.trusted-proxies", String.class)
                .orElse(List.of())) {
            String trimmed = entry.strip();
            if (!trimmed.isEmpty()) {
                ranges.add(IpRange.parse(trimmed).orElseThrow(() -> new IllegalStateException(
                        "quarkus.http.proxy.trusted-proxies: '" + trimmed + "' is not an address or CIDR range")));
            }
        }
        return List.copyOf(ranges);
    }
}
