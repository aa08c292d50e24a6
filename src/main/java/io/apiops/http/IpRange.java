package io.apiops.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare address is a
 * range of one. Parsing is strict and never asks DNS: only literal addresses are taken.
 */
public record IpRange(byte[] network, int prefixLength) {

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern PREFIX = Pattern.compile("0|[1-9]\\d{0,2}");

    public IpRange {
        network = network.clone();
    }

    /** The range {@code text} names, or empty when it is not a literal address with an optional valid prefix. */
    public static Optional<IpRange> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        Optional<InetAddress> address = parseAddress(slash < 0 ? text : text.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = address.get().getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (!PREFIX.matcher(digits).matches() || Integer.parseInt(digits) > bits) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(digits);
        }
        return Optional.of(new IpRange(mask(bytes, prefix), prefix));
    }

    /**
     * A literal IPv4 or IPv6 address (IPv6 may be in brackets); IPv4-mapped IPv6 addresses are their IPv4 address.
     * Host names, zone ids and anything a lenient parser would also take (octal, short forms) are not addresses.
     */
    public static Optional<InetAddress> parseAddress(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String literal = text.length() > 2 && text.charAt(0) == '[' && text.charAt(text.length() - 1) == ']'
                ? text.substring(1, text.length() - 1)
                : text;
        boolean v4 = IPV4.matcher(literal).matches();
        if (!v4 && !(literal.indexOf(':') >= 0 && IPV6.matcher(literal).matches())) {
            return Optional.empty();
        }
        try {
            // A literal of the shapes above is parsed, never looked up.
            InetAddress address = InetAddress.getByName(literal);
            if (v4 != address instanceof Inet4Address && !isMapped(literal, address)) {
                return Optional.empty();
            }
            return Optional.of(address);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean isMapped(String literal, InetAddress address) {
        // Java turns ::ffff:a.b.c.d into the IPv4 address itself.
        return literal.indexOf(':') >= 0 && address instanceof Inet4Address;
    }

    /** Whether {@code address} lies in this range; an IPv4 range holds no IPv6 address and the other way round. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        // Byte by byte under the prefix, without a masked copy: the bearer check asks on every request.
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            if (keep == 0) {
                break;
            }
            int mask = (0xff << (8 - keep)) & 0xff;
            if ((bytes[i] & mask) != (network[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every address of {@code other} lies in this range. */
    public boolean covers(IpRange other) {
        return other.network.length == network.length && other.prefixLength >= prefixLength
                && Arrays.equals(mask(other.network, prefixLength), network);
    }

    /** The key that groups one client's addresses: the address for IPv4, its /64 network for IPv6. */
    public static String clientKey(InetAddress address) {
        if (address instanceof Inet6Address) {
            return new IpRange(mask(address.getAddress(), 64), 64).toString();
        }
        return address.getHostAddress();
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xff << (8 - keep));
        }
        return masked;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpRange range && range.prefixLength == prefixLength
                && Arrays.equals(range.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
