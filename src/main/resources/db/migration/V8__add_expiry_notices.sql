-- When the owner was mailed that a named token expires soon, and that it has expired; null while not sent. Each is
-- set by the one replica that claims the notice, before it sends the mail, and cleared again if sending fails.
alter table personal_token
    add column expiry_notice_sent_at  timestamptz,
    add column expired_notice_sent_at timestamptz;

-- The sweep's look-up: live tokens with an expiry and a notice still to send, soonest first.
create index personal_token_notice_due_idx on personal_token (expires_at)
    where expires_at is not null and revoked_at is null
        and (expiry_notice_sent_at is null or expired_notice_sent_at is null);
