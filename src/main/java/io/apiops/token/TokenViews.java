package io.apiops.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The JSON shapes of the token endpoints, snake_case as OAuth2 has them. */
public final class TokenViews {

    private TokenViews() {
    }

    /** {@code {"access_token":"<JWT>","token_type":"Bearer","expires_in":3600}}, in exactly that order. */
    @JsonPropertyOrder({ "access_token", "token_type", "expires_in" })
    public record TokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn) {

        static TokenResponse bearer(String accessToken, long expiresIn) {
            return new TokenResponse(accessToken, "Bearer", expiresIn);
        }

        @Override
        public String toString() {
            return "TokenResponse[accessToken=***, expiresIn=" + expiresIn + "]";
        }
    }
}
