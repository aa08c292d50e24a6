package io.apiops.token;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The JSON shapes of the token endpoints: snake_case where OAuth2 defines the name, camelCase elsewhere. */
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

    /** A personal token as listed: everything but its value. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({ "id", "name", "createdAt", "expireDate", "lastUsedAt", "revoked" })
    public record PersonalTokenView(String id, String name, Instant createdAt, Instant expireDate,
            Instant lastUsedAt, boolean revoked) {

        static PersonalTokenView from(PersonalToken token) {
            return new PersonalTokenView(token.jti().toString(), token.name(), seconds(token.createdAt()),
                    seconds(token.expiresAt()), seconds(token.lastUsedAt()), token.revoked());
        }
    }

    /** A request for a new personal token; {@code expireDate} null (or absent) means it never expires. */
    public record CreatePersonalToken(
            @NotBlank @Size(max = 100) String name,
            @Future OffsetDateTime expireDate) {
    }

    /** A new personal token, its value shown this once. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({ "id", "name", "access_token", "token_type", "expires_in", "expireDate" })
    public record CreatedPersonalToken(
            String id,
            String name,
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") Long expiresIn,
            Instant expireDate) {

        @Override
        public String toString() {
            return "CreatedPersonalToken[id=" + id + ", name=" + name + ", accessToken=***]";
        }
    }

    static Instant seconds(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS);
    }
}
