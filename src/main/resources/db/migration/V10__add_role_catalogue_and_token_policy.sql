-- The role catalogue. The service writes it at start-up from its configuration (apiops.roles); a user can hold only
-- a role listed here. Until then it holds the five roles of the default catalogue.
create table role (
    name text primary key check (name ~ '^[A-Z][A-Z0-9_]{0,63}$')
);

insert into role (name)
values ('ROLE_ADMIN'), ('ROLE_MANAGE_PROXIES'), ('ROLE_MANAGE_PROXY_GROUPS'), ('ROLE_DEPLOY_UNDEPLOY_PROXIES'),
       ('ROLE_API_SECURITY');

alter table user_role drop constraint if exists user_role_role_check;
alter table user_role
    add constraint user_role_role_fkey foreign key (role) references role (name);

-- What a personal token may do and from where, where it came from, and how it was last used.
alter table personal_token
    -- null: all of the owner's roles at each use; otherwise that subset of them
    add column role_names          text[],
    -- null: any client address; otherwise addresses and CIDR ranges
    add column allowed_addresses   text[],
    -- the rotation chain: the jti of the first token of the chain (its own for a token never rotated)
    add column chain_id            uuid,
    add column revoked_reason      text,
    add column last_used_address   text,
    add column last_used_user_agent text;

update personal_token set chain_id = jti where chain_id is null;
update personal_token set revoked_reason = 'revoked' where revoked_at is not null and revoked_reason is null;
alter table personal_token alter column chain_id set not null;

-- Revoking a whole chain when one of its rotated-away tokens comes back.
create index personal_token_chain_idx on personal_token (chain_id);
-- The administrators' inventory, newest first.
create index personal_token_created_idx on personal_token (created_at desc, id desc);

-- A token revoked by rotation keeps its chain in the denylist, so that any replica that sees it presented again
-- can revoke the rest of the chain.
alter table revoked_token
    add column chain_id uuid;
