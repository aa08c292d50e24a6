package io.apiops.bearer;

import java.util.Arrays;
import java.util.List;

/**
 * The only bearer credential syntax the service accepts: {@code Bearer <header>.<payload>.<signature>}, each part
 * canonical base64url without padding, the token at most {@value #MAX_LENGTH} characters. Checked before any
 * decoding or verification, so that nothing a lenient decoder would also take (padding, stray characters, non-zero
 * trailing bits, white space) reaches them. The cache of verified tokens may be asked first
 * ({@link #candidate}, then {@link #isCanonical} on a miss): it holds only tokens that passed this check, and answers
 * only for exactly the same text, so a token it knows needs no second scan.
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
        String token = candidate(header);
        return token != null && isCanonical(token) ? token : null;
    }

    /**
     * The candidate of a request's {@code Authorization} headers ({@link #candidate}) when there is exactly one; null
     * for none, for several, or for one that is not a candidate.
     */
    static String soleCandidate(List<String> headers) {
        return headers.size() == 1 ? candidate(headers.get(0)) : null;
    }

    /**
     * What follows the scheme in an {@code Authorization} header value, when the scheme is right and the length within
     * bounds; null otherwise. Not yet checked for the syntax: see {@link #isCanonical}.
     */
    static String candidate(String header) {
        if (header == null || !header.startsWith(SCHEME)) {
            return null;
        }
        int length = header.length() - SCHEME.length();
        return length < 5 || length > MAX_LENGTH ? null : header.substring(SCHEME.length());
    }

    /** True when {@code token} is three canonical base64url segments joined by dots. */
    static boolean isCanonical(String token) {
        int start = 0;
        int segments = 0;
        for (int i = 0; i <= token.length(); i++) {
            if (i == token.length() || token.charAt(i) == '.') {
                if (!canonicalSegment(token, start, i)) {
                    return false;
                }
                segments++;
                start = i + 1;
            } else if (value(token.charAt(i)) < 0) {
                return false;
            }
        }
        return segments == 3;
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
