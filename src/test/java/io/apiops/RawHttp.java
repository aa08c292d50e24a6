package io.apiops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 written byte by byte over a socket, for the attacks that an HTTP client library would tidy up first: odd
 * spellings of a path, malformed request lines, chunked bodies, repeated headers.
 */
public final class RawHttp {

    private final URL base;

    public RawHttp(URL base) {
        this.base = base;
    }

    /** What came back: status (-1: closed without an answer, -2: no answer in time), the head and the body. */
    public record Answer(int status, String head, String body) {

        /** The value of the first header of that name, or null. */
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        public String contentType() {
            return header("Content-Type");
        }

        /** A 4xx in the API's JSON error shape. */
        public boolean isJsonError() {
            return status >= 400 && status < 500 && contentType() != null
                    && contentType().startsWith("application/json") && body.contains("\"error\":")
                    && body.contains("\"error_description\":");
        }
    }

    public static byte[] request(String method, String path, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n");
        boolean hasLength = false;
        for (String header : headers) {
            head.append(header).append("\r\n");
            String lower = header.toLowerCase(Locale.ROOT);
            hasLength |= lower.startsWith("content-length") || lower.startsWith("transfer-encoding");
        }
        if (!hasLength && (body.length > 0 || method.equals("POST") || method.equals("PUT"))) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A form POST of {@code body} to {@code path}, with the extra headers given. */
    public static byte[] form(String path, String body, String... headers) {
        List<String> all = new java.util.ArrayList<>(List.of("Content-Type: application/x-www-form-urlencoded"));
        all.addAll(List.of(headers));
        return request("POST", path, all, body.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] chunked(String path, String contentType, String body, int chunkSize) {
        StringBuilder raw = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < body.length(); i += chunkSize) {
            String chunk = body.substring(i, Math.min(body.length(), i + chunkSize));
            raw.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        raw.append("0\r\n\r\n");
        return raw.toString().getBytes(StandardCharsets.UTF_8);
    }

    public Answer send(byte[] raw) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(raw);
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before reading an oversized body
            }
            InputStream in = socket.getInputStream();
            String response;
            try {
                response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (SocketTimeoutException e) {
                return new Answer(-2, "", "no answer within 5 s");
            }
            if (response.length() < 12 || !response.startsWith("HTTP/1.")) {
                return new Answer(-1, response, "");
            }
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            String head = response.substring(0, split < 0 ? response.length() : split);
            String body = split < 0 ? "" : new String(response.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8);
            return new Answer(status, head, body);
        }
    }
}
