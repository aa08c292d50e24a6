package io.apiops.user;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.apiops.password.PasswordPolicy;

/** The JSON shapes of the user administration API, camelCase like the rest of the Management API. */
public final class UserViews {

    /**
     * The longest password field in UTF-16 units: room for the policy's 1024 code points even outside the Basic
     * Multilingual Plane, which the policy then counts exactly.
     */
    public static final int PASSWORD_CHARS = 2 * PasswordPolicy.MAX_LENGTH;

    static final String TOO_LONG = PasswordPolicy.TOO_LONG;

    public static final String NO_CONTROL = "[^\\p{Cntrl}]*";
    public static final String NO_CONTROL_MESSAGE = "must not contain control characters";

    private UserViews() {
    }

    @JsonPropertyOrder({ "username", "fullName", "email", "roleNameList", "enabled", "locked", "failedAttempts",
            "createdAt" })
    public record UserView(String username, String fullName, String email, List<String> roleNameList,
            boolean enabled, boolean locked, int failedAttempts, Instant createdAt) {

        /** The user as shown, its roles in the catalogue's order. */
        public static UserView from(User user, Instant now, Roles roles) {
            return new UserView(user.username(), user.fullName(), user.email(), roles.known(user.roles()),
                    user.enabled(), user.isLocked(now), user.failedAttempts(),
                    user.createdAt().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    public record CreateUser(
            @NotEmpty @Size(max = 128) @ValidUsername String username,
            @NotEmpty @Size(max = PASSWORD_CHARS, message = TOO_LONG) String password,
            @Size(max = 255) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String fullName,
            @Email @Size(max = 254) String email,
            @KnownRoles List<@NotNull String> roleNameList,
            Boolean enabled) {

        @Override
        public String toString() {
            return "CreateUser[username=" + username + ", password=***]";
        }
    }

    /** Every field is optional; a field left out keeps its value. */
    public record UpdateUser(
            @Size(max = 255) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String fullName,
            @Email @Size(max = 254) String email,
            @KnownRoles List<@NotNull String> roleNameList,
            Boolean enabled) {
    }

    public record SetPassword(@NotEmpty @Size(max = PASSWORD_CHARS, message = TOO_LONG) String password) {

        @Override
        public String toString() {
            return "SetPassword[***]";
        }
    }

    public record ChangeOwnPassword(
            @NotEmpty @Size(max = PASSWORD_CHARS, message = TOO_LONG) String currentPassword,
            @NotEmpty @Size(max = PASSWORD_CHARS, message = TOO_LONG) String newPassword) {

        @Override
        public String toString() {
            return "ChangeOwnPassword[***]";
        }
    }

    /** The Management API's list envelope. */
    @JsonPropertyOrder({ "status", "resultList", "resultCount" })
    public record Envelope<T>(String status, List<T> resultList, int resultCount) {

        public static <T> Envelope<T> of(List<T> items) {
            return new Envelope<>("SUCCESS", items, items.size());
        }

        /** One page of a longer list; {@code resultCount} is the length of the whole list. */
        public static <T> Envelope<T> page(List<T> items, long total) {
            return new Envelope<>("SUCCESS", items, (int) Math.min(total, Integer.MAX_VALUE));
        }
    }
}
