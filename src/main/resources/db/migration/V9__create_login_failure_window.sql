-- Failed logins per client address and fixed minute, shared by every replica so that the limit is one limit however
-- the requests are spread. UNLOGGED: the counts live for a minute and are not worth a WAL write; a crash or a failover
-- forgets them, which costs at most one minute of the limit.
create unlogged table login_failure_window (
    client_key   varchar(64) not null,
    window_start timestamp with time zone not null,
    failures     integer not null check (failures >= 0),
    primary key (client_key, window_start)
);
