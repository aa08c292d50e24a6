package io.apiops.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;

import io.quarkus.arc.Arc;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

import io.apiops.audit.AuditRepository.Filter;
import io.apiops.audit.AuditViews.AuditEventView;
import io.apiops.config.ApiopsConfig;
import io.apiops.error.ApiException;
import io.apiops.http.ClientAddress;
import io.apiops.user.AccountEvent;
import io.apiops.user.AccountEvent.Type;

/**
 * Writes every {@link AccountEvent} to the audit trail, in the transaction of the change it records, with the client's
 * address and user agent; answers queries on it; and forgets entries older than the retention.
 */
@ApplicationScoped
public class AuditService {

    /** Events whose actor is the account itself: nobody is authenticated while a login is under way. */
    private static final Set<Type> SELF_ACTED = Set.of(Type.LOGIN_SUCCEEDED, Type.LOGIN_FAILED, Type.LOCKED_OUT);
    private static final int MAX_LIMIT = 1000;

    private final AuditRepository events;
    private final CurrentVertxRequest request;
    private final Instance<SecurityIdentity> identity;
    private final ClientAddress clientAddress;
    private final Clock clock;
    private final Duration retention;

    public AuditService(AuditRepository events, CurrentVertxRequest request, Instance<SecurityIdentity> identity,
            ClientAddress clientAddress, Clock clock, ApiopsConfig config) {
        this.events = events;
        this.request = request;
        this.identity = identity;
        this.clientAddress = clientAddress;
        this.clock = clock;
        this.retention = config.audit().retention();
    }

    void record(@Observes AccountEvent event) {
        RoutingContext context = Arc.container().requestContext().isActive() ? request.getCurrent() : null;
        String clientIp = context == null ? null : clientAddress.text(context.request());
        String userAgent = context == null ? null : context.request().getHeader("User-Agent");
        AuditEvent row = AuditEvent.of(clock.instant(), event.type().name(), actor(event, context), event.username(),
                clientIp, userAgent, event.detail());
        QuarkusTransaction.joiningExisting().run(() -> events.persist(row));
    }

    private String actor(AccountEvent event, RoutingContext context) {
        if (SELF_ACTED.contains(event.type())) {
            return event.username();
        }
        if (context == null) {
            return "system";
        }
        SecurityIdentity caller = identity.get();
        return caller.isAnonymous() ? "anonymous" : caller.getPrincipal().getName();
    }

    /** The newest matching events first; instants are ISO-8601 with an offset, {@code to} is exclusive. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEventView> find(String user, String type, String from, String to, String offset,
            String limit) {
        if (type != null && Arrays.stream(Type.values()).noneMatch(known -> known.name().equals(type))) {
            throw ApiException.invalidRequest("Unknown event type: use one of " + Arrays.toString(Type.values()));
        }
        int first = number("offset", offset, 0, Integer.MAX_VALUE);
        int count = number("limit", limit, 1, MAX_LIMIT);
        Filter filter = new Filter(user, type, instant("from", from), instant("to", to));
        return events.findMatching(filter, first, count).stream().map(AuditEventView::from).toList();
    }

    private static Instant instant(String name, String value) {
        try {
            return value == null ? null : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalidRequest(name + " must be an ISO-8601 instant with an offset");
        }
    }

    private static int number(String name, String value, int min, int max) {
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalidRequest(name + " must be a whole number from " + min + " to " + max);
    }

    @Scheduled(every = "1h", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void prune() {
        long removed = events.deleteOlderThan(clock.instant().minus(retention));
        if (removed > 0) {
            Log.infof("Pruned %d audit events older than %s", removed, retention);
        }
    }
}
