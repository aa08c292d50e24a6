package io.apiops.token;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.apiops.user.KnownRoles;
import io.apiops.user.UserViews;

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

    /**
     * A personal token as listed: everything but its value. {@code roleNameList} null means all of the owner's roles,
     * {@code allowedAddresses} null any address.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({ "id", "name", "owner", "createdAt", "expireDate", "lastUsedAt", "lastUsedAddress",
            "lastUsedUserAgent", "roleNameList", "allowedAddresses", "revoked", "revokedReason" })
    public record PersonalTokenView(String id, String name, String owner, Instant createdAt, Instant expireDate,
            Instant lastUsedAt, String lastUsedAddress, String lastUsedUserAgent, List<String> roleNameList,
            List<String> allowedAddresses, boolean revoked, String revokedReason) {

        static PersonalTokenView from(PersonalToken token) {
            return new PersonalTokenView(token.jti().toString(), token.name(), token.owner().username(),
                    seconds(token.createdAt()), seconds(token.expiresAt()), seconds(token.lastUsedAt()),
                    token.lastUsedAddress(), token.lastUsedUserAgent(), token.roleNames(), token.allowedAddresses(),
                    token.revoked(), token.revokedReason());
        }
    }

    /**
     * A request for a new personal token; {@code expireDate} null (or absent) means it never expires,
     * {@code roleNameList} null all of the owner's roles, {@code allowedAddresses} null any client address.
     * {@code currentPassword} is needed for a token that would outlive the one that asks for it.
     */
    public record CreatePersonalToken(
            @NotBlank @Size(max = 100) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String name,
            @Future OffsetDateTime expireDate,
            @KnownRoles List<@NotNull String> roleNameList,
            @Size(min = 1, max = MAX_ADDRESSES) List<@NotNull @Size(max = 64) String> allowedAddresses,
            @Size(max = PASSWORD_CHARS) String currentPassword) {

        @Override
        public String toString() {
            return "CreatePersonalToken[name=" + name + ", currentPassword=***]";
        }
    }

    /** A request to rotate a token: the new one keeps the old one's expiry unless {@code expireDate} says otherwise. */
    public record RotatePersonalToken(
            @Future OffsetDateTime expireDate,
            @Size(max = PASSWORD_CHARS) String currentPassword) {

        static final RotatePersonalToken KEEP = new RotatePersonalToken(null, null);

        @Override
        public String toString() {
            return "RotatePersonalToken[expireDate=" + expireDate + ", currentPassword=***]";
        }
    }

    /** The most entries of {@code allowedAddresses}. */
    static final int MAX_ADDRESSES = 32;

    /** Room for a password of the policy's longest, as in the user administration API. */
    static final int PASSWORD_CHARS = UserViews.PASSWORD_CHARS;

    static final String NO_CONTROL = UserViews.NO_CONTROL;
    static final String NO_CONTROL_MESSAGE = UserViews.NO_CONTROL_MESSAGE;

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
