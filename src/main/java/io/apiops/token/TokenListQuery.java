package io.apiops.token;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestQuery;

import io.apiops.error.ApiException;
import io.apiops.token.PersonalTokenRepository.Inventory;

/**
 * The filters and page of a list of tokens, from its query string: {@code active}, {@code named},
 * {@code expiringBefore}, {@code unusedSince}, {@code page} and {@code size}. Every list of tokens is a page, newest
 * first, since a user who signs in for every call makes a token record each time and the records stay listed for the
 * retention period: a whole list could outgrow the heap. Each parameter is checked here, so a malformed one is a 400 naming it, and one given
 * twice is refused rather than read by one occurrence while a proxy or log reads the other.
 */
public class TokenListQuery {

    static final int DEFAULT_SIZE = 100;
    static final int MAX_SIZE = 500;

    @Context
    UriInfo uri;

    @RestQuery
    String active;

    @RestQuery
    String named;

    @RestQuery
    String expiringBefore;

    @RestQuery
    String unusedSince;

    @RestQuery
    String page;

    @RestQuery
    String size;

    /** The filter for {@code owner}'s tokens, or everyone's for null; checks every parameter first. */
    Inventory filter(String owner) {
        uri.getQueryParameters().forEach((name, values) -> {
            if (values.size() > 1) {
                throw ApiException.invalidField(name, "must be given once");
            }
        });
        return new Inventory(owner, bool("active", active), bool("named", named),
                instant("expiringBefore", expiringBefore), instant("unusedSince", unusedSince));
    }

    int page() {
        return integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_SIZE);
    }

    int size(int absent) {
        return integer("size", size, absent, 1, MAX_SIZE);
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
