package io.apiops.token;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

import io.apiops.error.ApiException;
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

    private final TokenService tokens;

    public TokenInventoryResource(TokenService tokens) {
        this.tokens = tokens;
    }

    @GET
    public Envelope<PersonalTokenView> list(@RestQuery String owner, @BeanParam TokenListQuery query) {
        return tokens.inventory(query.filter(username(owner)), query.page(), query.size(DEFAULT_SIZE));
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
}
