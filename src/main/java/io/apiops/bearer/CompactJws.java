package io.apiops.bearer;

import java.util.Arrays;

/**
 * The only bearer credential syntax the service accepts: {@code Bearer <header>.<payload>.<signature>}, each part
 * canonical base64url without padding, the token at most {@value #MAX_LENGTH} characters. Checked before any
 * decoding, verification or cache look-up, so that nothing a lenient decoder would also take (padding, stray
 * characters, non-zero trailing bits, white space) reaches them.
 */
final class CompactJws {

    static final int MAX_LENGTH = 8 * 1024;

    private static final String SCHEME = "Bearer ";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private CompactJws() {
    }

    /** The token itself when it is exactly one compact JWS, or null. */
    static String of(String token) {
        return token == null ? null : fromHeader(SCHEME + token);
    }

    /** The token of an {@code Authorization} header value, or null when the value is not exactly one compact JWS. */
    static String fromHeader(String header) {
        if (header == null || !header.startsWith(SCHEME)) {
            return null;
        }
        int length = header.length() - SCHEME.length();
        if (length < 5 || length > MAX_LENGTH) {
            return null;
        }
        int start = SCHEME.length();
        int segments = 0;
        for (int i = start; i <= header.length(); i++) {
            if (i == header.length() || header.charAt(i) == '.') {
                if (!canonicalSegment(header, start, i)) {
                    return null;
                }
                segments++;
                start = i + 1;
            } else if (value(header.charAt(i)) < 0) {
                return null;
            }
        }
        return segments == 3 ? header.substring(SCHEME.length()) : null;
    }

    /**
     * A non-empty base64url segment without padding whose length can be decoded (never 1 modulo 4) and whose last
     * character carries no bits beyond the encoded bytes, so that exactly one text encodes each byte string.
     */
    private static boolean canonicalSegment(String text, int from, int to) {
        int length = to - from;
        if (length == 0 || length % 4 == 1) {
            return false;
        }
        int last = value(text.charAt(to - 1));
        return switch (length % 4) {
        case 2 -> (last & 0x0f) == 0;
        case 3 -> (last & 0x03) == 0;
        default -> true;
        };
    }

    private static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }
}
