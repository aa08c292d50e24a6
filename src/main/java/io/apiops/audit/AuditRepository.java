package io.apiops.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class AuditRepository implements PanacheRepository<AuditEvent> {

    /** What to look for; every field is optional. */
    record Filter(String user, String type, Instant from, Instant to) {
    }

    /** The newest events first that match every given filter; {@code user} matches the actor or the subject. */
    List<AuditEvent> findMatching(Filter filter, int offset, int limit) {
        List<String> conditions = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (filter.user() != null) {
            conditions.add("(actor = :user or subject = :user)");
            parameters.and("user", filter.user());
        }
        if (filter.type() != null) {
            conditions.add("type = :type");
            parameters.and("type", filter.type());
        }
        if (filter.from() != null) {
            conditions.add("occurredAt >= :from");
            parameters.and("from", filter.from());
        }
        if (filter.to() != null) {
            conditions.add("occurredAt < :to");
            parameters.and("to", filter.to());
        }
        String where = conditions.isEmpty() ? "" : String.join(" and ", conditions) + " ";
        return find(where + "order by occurredAt desc, id desc", parameters).range(offset, offset + limit - 1).list();
    }

    long deleteOlderThan(Instant cutoff) {
        return delete("occurredAt < ?1", cutoff);
    }
}
