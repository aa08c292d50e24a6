package io.apiops.audit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.apiops.audit.AuditViews.AuditEventView;
import io.apiops.user.Roles;
import io.apiops.user.UserViews.Envelope;

/**
 * The audit trail, newest first, filtered by user (actor or subject), type and time range, a page at a time. Parameters
 * arrive as text so that a malformed one gets a 400 naming it rather than the 404 JAX-RS would give.
 */
@Path("/apiops/audit")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditService audit;

    public AuditResource(AuditService audit) {
        this.audit = audit;
    }

    @GET
    public Envelope<AuditEventView> find(
            @QueryParam("user") String user,
            @QueryParam("type") String type,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("offset") @DefaultValue("0") String offset,
            @QueryParam("limit") @DefaultValue("100") String limit) {
        return Envelope.of(audit.find(user, type, from, to, offset, limit));
    }
}
