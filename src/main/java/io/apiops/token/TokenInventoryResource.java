package io.apiops.token;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestQuery;

import io.apiops.error.ApiException;
import io.apiops.token.PersonalTokenRepository.Inventory;
import io.apiops.token.TokenViews.PersonalTokenView;
import io.apiops.user.Roles;
import io.apiops.user.UserViews.Envelope;

/**
 * Every user's tokens, for administrators looking for stale, unused or never-expiring ones: filtered, newest first,
 * a page at a time. Query parameters are checked here, so a malformed one is a 400 naming it.
 */
@Path("/apiops/tokens")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class TokenInventoryResource {

    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 500;

    private final TokenService tokens;

    public TokenInventoryResource(TokenService tokens) {
        this.tokens = tokens;
    }

    @GET
    public Envelope<PersonalTokenView> list(@Context UriInfo uri, @RestQuery String owner, @RestQuery String active,
            @RestQuery String expiringBefore, @RestQuery String unusedSince, @RestQuery String page,
            @RestQuery String size) {
        // A parameter given twice is refused, not read by one occurrence while a proxy or log reads the other.
        uri.getQueryParameters().forEach((name, values) -> {
            if (values.size() > 1) {
                throw ApiException.invalidField(name, "must be given once");
            }
        });
        Inventory filter = new Inventory(username(owner), bool("active", active),
                instant("expiringBefore", expiringBefore), instant("unusedSince", unusedSince));
        int pageNumber = integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_SIZE);
        int pageSize = integer("size", size, DEFAULT_SIZE, 1, MAX_SIZE);
        return tokens.inventory(filter, pageNumber, pageSize);
    }

    private static String username(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > 128 || value.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalidField("owner", "is not a username");
        }
        return value;
    }

    private static Boolean bool(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.invalidField(name, "must be true or false");
        };
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(value);
            if (parsed.getYear() < 1 || parsed.getYear() > 9999) {
                throw ApiException.invalidField(name, "must be a date between the years 1 and 9999");
            }
            return parsed.toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalidField(name, "must be an ISO-8601 date and time with an offset, "
                    + "such as 2027-01-31T00:00:00Z");
        }
    }

    private static int integer(String name, String value, int absent, int min, int max) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max && value.matches("0|[1-9][0-9]*")) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalidField(name, "must be a whole number from " + min + " to " + max);
    }
}
