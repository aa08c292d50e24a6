package io.apiops.http;

import jakarta.inject.Singleton;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * HTTP/2 only over TLS: plain-text HTTP/2 (h2c, by prior knowledge or by {@code Upgrade}) is refused, so that every
 * plain-text request goes through the one HTTP/1.1 code path that the service's limits were built and tested on.
 */
@Singleton
public class ServerOptions implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        // HTTP/2 over TLS is negotiated by ALPN and stays available.
    }
}
