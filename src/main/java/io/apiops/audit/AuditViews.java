package io.apiops.audit;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

public final class AuditViews {

    private AuditViews() {
    }

    @JsonPropertyOrder({ "id", "occurredAt", "type", "actor", "subject", "clientIp", "userAgent", "detail" })
    public record AuditEventView(long id, Instant occurredAt, String type, String actor, String subject,
            String clientIp, String userAgent, String detail) {

        static AuditEventView from(AuditEvent event) {
            return new AuditEventView(event.id(), event.occurredAt(), event.type(), event.actor(), event.subject(),
                    event.clientIp(), event.userAgent(), event.detail());
        }
    }
}
