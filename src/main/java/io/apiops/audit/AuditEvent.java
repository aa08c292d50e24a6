package io.apiops.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One line of the audit trail. Written once, never changed. */
@Entity
@Table(name = "audit_event")
public class AuditEvent {

    /** Longest value kept of a field that a client controls (the username tried, the user agent). */
    static final int MAX_TEXT = 256;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    private Instant occurredAt;

    @Column(nullable = false, updatable = false)
    private String type;

    @Column(updatable = false)
    private String actor;

    @Column(updatable = false)
    private String subject;

    @Column(name = "client_ip", updatable = false)
    private String clientIp;

    @Column(name = "user_agent", updatable = false)
    private String userAgent;

    @Column(updatable = false)
    private String detail;

    protected AuditEvent() {
    }

    static AuditEvent of(Instant occurredAt, String type, String actor, String subject, String clientIp,
            String userAgent, String detail) {
        AuditEvent event = new AuditEvent();
        event.occurredAt = occurredAt;
        event.type = type;
        event.actor = clip(actor);
        event.subject = clip(subject);
        event.clientIp = clip(clientIp);
        event.userAgent = clip(userAgent);
        event.detail = clip(detail);
        return event;
    }

    private static String clip(String value) {
        return value == null || value.length() <= MAX_TEXT ? value : value.substring(0, MAX_TEXT);
    }

    public Long id() {
        return id;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public String type() {
        return type;
    }

    public String actor() {
        return actor;
    }

    public String subject() {
        return subject;
    }

    public String clientIp() {
        return clientIp;
    }

    public String userAgent() {
        return userAgent;
    }

    public String detail() {
        return detail;
    }
}
