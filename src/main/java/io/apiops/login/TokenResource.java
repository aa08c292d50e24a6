package io.apiops.login;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerResponse;

import io.apiops.error.ApiException;
import io.apiops.error.ErrorMappers;
import io.apiops.token.TokenService;
import io.apiops.token.TokenViews.TokenResponse;

/** {@code POST /apiops/auth/token}, the one endpoint that needs no token. */
@Path("/apiops/auth")
public class TokenResource {

    static final String PATH = "/apiops/auth/token";

    private final TokenService tokens;

    public TokenResource(TokenService tokens) {
        this.tokens = tokens;
    }

    /**
     * Takes any Content-Type so that a wrong one gets the API's own 415 answer; the body is parsed here rather than
     * by the framework so that repeated parameters and malformed encodings can be refused.
     */
    @POST
    @Path("token")
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    public RestResponse<TokenResponse> token(HttpHeaders headers, byte[] body, HttpServerResponse response) {
        ClientCredentials credentials = ClientCredentials.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                headers.getRequestHeader(HttpHeaders.AUTHORIZATION), body == null ? new byte[0] : body);
        return RestResponse.ResponseBuilder.ok(tokens.exchange(credentials.clientId(), credentials.clientSecret(),
                response::closed))
                .type(ErrorMappers.JSON_UTF8).build();
    }

    /**
     * Existing clients send all sorts of Accept headers to the token endpoint (form types, HTML, none); it answers
     * JSON to every one of them rather than 406.
     */
    @ServerRequestFilter(preMatching = true)
    public void answerJson(ContainerRequestContext request) {
        if (PATH.equals(request.getUriInfo().getPath())) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON);
        }
    }

    /** The token endpoint takes POST alone; OPTIONS is refused like any other method. */
    @OPTIONS
    @Path("token")
    @PermitAll
    public void options() {
        throw ApiException.postOnly();
    }
}
