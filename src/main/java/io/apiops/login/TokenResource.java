package io.apiops.login;

import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import io.apiops.error.ApiException;
import io.apiops.error.ErrorMappers;
import io.apiops.http.ClientAddress;
import io.apiops.token.TokenService;
import io.apiops.token.TokenViews.TokenResponse;

/** {@code POST /apiops/auth/token}, the one endpoint that needs no token. */
@Path("/apiops/auth")
public class TokenResource {

    static final String PATH = "/apiops/auth/token";

    private final TokenService tokens;
    private final ClientAddress clientAddress;

    public TokenResource(TokenService tokens, ClientAddress clientAddress) {
        this.tokens = tokens;
        this.clientAddress = clientAddress;
    }

    /**
     * Takes any Content-Type so that a wrong one gets the API's own 415 answer; the body is parsed here rather than
     * by the framework so that repeated parameters and malformed encodings can be refused. Existing clients send all
     * sorts of Accept headers (form types, HTML, none): every one of them gets JSON rather than 406.
     * <p>
     * It runs on the event loop: parsing the form is all it does before the login is queued for a login turn
     * ({@code PasswordHasher#inLoginTurn}), where the database work, the hash and the signature run. No request
     * thread waits for the turn.
     */
    @POST
    @Path("token")
    @PermitAll
    @LoginEndpoint
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.WILDCARD)
    public CompletionStage<RestResponse<TokenResponse>> token(HttpHeaders headers, byte[] body,
            HttpServerRequest request, HttpServerResponse response) {
        ClientCredentials credentials = ClientCredentials.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                headers.getRequestHeader(HttpHeaders.AUTHORIZATION), body == null ? new byte[0] : body);
        return tokens.exchange(credentials.clientId(), credentials.clientSecret(), clientAddress.limitKey(request),
                response::closed)
                .thenApply(token -> RestResponse.ResponseBuilder.ok(token).type(ErrorMappers.JSON_UTF8).build());
    }

    /** The token endpoint takes POST alone; OPTIONS is refused like any other method. */
    @OPTIONS
    @Path("token")
    @PermitAll
    public void options() {
        throw ApiException.postOnly();
    }
}
