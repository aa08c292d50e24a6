package io.apiops.login;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.apiops.error.ApiException;

/**
 * The client credentials of a token request, read from a form body and, per RFC 6749 section 2.3.1, optionally from
 * an HTTP Basic {@code Authorization} header. The query string is never consulted.
 * <p>
 * Parsing is strict and total: whatever bytes arrive, the outcome is either credentials or an {@link ApiException}
 * with a 4xx status.
 */
record ClientCredentials(String clientId, String clientSecret) {

    static final int MAX_BODY_BYTES = 64 * 1024;

    /** A token request has three parameters; a few more are tolerated, a flood of them is not. */
    static final int MAX_PARAMETERS = 32;

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String GRANT_TYPE = "grant_type";
    private static final String CLIENT_ID = "client_id";
    private static final String CLIENT_SECRET = "client_secret";

    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", clientSecret=***]";
    }

    /**
     * @param contentType the request's Content-Type, or null
     * @param authorization every Authorization header of the request
     * @param body the raw request body
     */
    static ClientCredentials parse(String contentType, List<String> authorization, byte[] body) {
        Charset charset = formCharset(contentType);
        if (body.length > MAX_BODY_BYTES) {
            throw ApiException.payloadTooLarge("The request body must not exceed 64 KiB");
        }
        Map<String, List<String>> form = decodeForm(body, charset);
        for (String name : List.of(GRANT_TYPE, CLIENT_ID, CLIENT_SECRET)) {
            if (form.getOrDefault(name, List.of()).size() > 1) {
                throw ApiException.invalidRequest("Parameter " + name + " must not be repeated");
            }
        }
        String grantType = single(form, GRANT_TYPE);
        if (grantType == null) {
            throw missing(GRANT_TYPE);
        }
        if (!"client_credentials".equals(grantType)) {
            throw ApiException.unsupportedGrantType();
        }
        ClientCredentials basic = basic(authorization);
        if (basic != null) {
            if (form.containsKey(CLIENT_ID) || form.containsKey(CLIENT_SECRET)) {
                throw ApiException.invalidRequest(
                        "Client credentials must be sent either in the Authorization header or in the body, not both");
            }
            return basic;
        }
        String clientId = single(form, CLIENT_ID);
        if (clientId == null) {
            throw missing(CLIENT_ID);
        }
        String clientSecret = single(form, CLIENT_SECRET);
        if (clientSecret == null) {
            throw missing(CLIENT_SECRET);
        }
        return new ClientCredentials(clientId, clientSecret);
    }

    /**
     * Checks that the body is a form and returns the charset its percent-encoded bytes are in: UTF-8 unless the
     * Content-Type names another (some HTTP clients still default to ISO-8859-1).
     */
    private static Charset formCharset(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw ApiException.unsupportedMediaType("Content-Type must be " + FORM);
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase(FORM)) {
            throw ApiException.unsupportedMediaType("Content-Type must be " + FORM);
        }
        Charset charset = StandardCharsets.UTF_8;
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            if (parameter.length == 2 && parameter[0].trim().equalsIgnoreCase("charset")) {
                String name = parameter[1].trim().replace("\"", "");
                try {
                    charset = Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    throw ApiException.unsupportedMediaType("Unsupported charset in Content-Type");
                }
            }
        }
        return charset;
    }

    private static String single(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        if (values == null || values.get(0).isEmpty()) {
            return null;
        }
        return values.get(0);
    }

    private static ApiException missing(String name) {
        return ApiException.invalidRequest("Missing parameter: " + name);
    }

    /** The credentials of a {@code Basic} Authorization header, or null when there is none. */
    private static ClientCredentials basic(List<String> authorization) {
        if (authorization == null || authorization.isEmpty()) {
            return null;
        }
        if (authorization.size() > 1) {
            throw ApiException.invalidRequest("Only one Authorization header is allowed");
        }
        String header = authorization.get(0).trim();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        if (!scheme.equalsIgnoreCase("Basic")) {
            // Another scheme (a bearer token, say) does not authenticate a client here.
            return null;
        }
        String decoded;
        try {
            byte[] raw = Base64.getDecoder().decode(space < 0 ? "" : header.substring(space + 1).trim());
            decoded = decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("Malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw ApiException.invalidRequest("Malformed Basic credentials");
        }
        String clientId = urlDecode(decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        String clientSecret = urlDecode(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
        if (clientId.isEmpty()) {
            throw missing(CLIENT_ID);
        }
        if (clientSecret.isEmpty()) {
            throw missing(CLIENT_SECRET);
        }
        return new ClientCredentials(clientId, clientSecret);
    }

    /**
     * {@code application/x-www-form-urlencoded} as the WHATWG URL standard parses it, but rejecting bad input. Every
     * byte is looked at a bounded number of times, so the cost is linear in the body; past {@value #MAX_PARAMETERS}
     * parameters the request is refused before any more is decoded.
     */
    private static Map<String, List<String>> decodeForm(byte[] body, Charset charset) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        int parameters = 0;
        int start = 0;
        while (start <= body.length) {
            int end = indexOf(body, (byte) '&', start, body.length);
            if (end > start) {
                if (++parameters > MAX_PARAMETERS) {
                    throw ApiException.invalidRequest("Too many parameters in the request body");
                }
                int nameEnd = indexOf(body, (byte) '=', start, end);
                String name = urlDecode(slice(body, start, nameEnd), charset);
                String value = nameEnd < end ? urlDecode(slice(body, nameEnd + 1, end), charset) : "";
                form.computeIfAbsent(name, key -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        return form;
    }

    /** The first index of {@code wanted} in {@code [from, to)}, or {@code to}. */
    private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return to;
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        byte[] slice = new byte[to - from];
        System.arraycopy(bytes, from, slice, 0, slice.length);
        return slice;
    }

    private static String urlDecode(byte[] encoded, Charset charset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length);
        for (int i = 0; i < encoded.length; i++) {
            byte b = encoded[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%') {
                int high = i + 2 < encoded.length ? Character.digit(encoded[i + 1], 16) : -1;
                int low = high >= 0 ? Character.digit(encoded[i + 2], 16) : -1;
                if (low < 0) {
                    throw ApiException.invalidRequest("Malformed percent-encoding in the request");
                }
                out.write(high << 4 | low);
                i += 2;
            } else {
                out.write(b);
            }
        }
        return decode(out.toByteArray(), charset);
    }

    private static String decode(byte[] bytes, Charset charset) {
        try {
            String text = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            if (text.indexOf('\0') >= 0) {
                throw ApiException.invalidRequest("The request must not contain NUL characters");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw ApiException.invalidRequest("The request is not valid " + charset.name());
        }
    }
}
