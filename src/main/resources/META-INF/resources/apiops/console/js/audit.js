// The audit trail, newest first, with its filters and paging.

import * as api from './api.js';
import { fill, h, when } from './dom.js';
import { field, messageLine, say, showError } from './forms.js';

const TYPES = ['LOGIN_SUCCEEDED', 'LOGIN_FAILED', 'LOCKED_OUT', 'UNLOCKED', 'LOCKED', 'USER_CREATED', 'USER_UPDATED',
    'USER_DISABLED', 'ROLE_REMOVED', 'USER_DELETED', 'PASSWORD_SET', 'PASSWORD_CHANGED', 'TOKEN_CREATED',
    'TOKEN_REVOKED', 'TOKEN_ROTATED', 'TOKEN_EXPIRY_NOTICE_SENT'];

const LIMIT = 50;

export function auditView(root) {
    const user = field({ label: 'User', name: 'user', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
        hint: 'Who acted, or whom it was about.' });
    const type = field({ label: 'Event type', name: 'type', type: 'select', value: '',
        choices: [['', 'Any type'], ...TYPES.map((name) => [name, readable(name)])] });
    const from = field({ label: 'From', name: 'from', type: 'datetime-local' });
    const to = field({ label: 'Until', name: 'to', type: 'datetime-local' });
    const line = messageLine();
    const results = h('div', {});
    const pager = h('div', { class: 'pager' });
    const form = h('form', { class: 'filters', novalidate: true, 'aria-label': 'Audit filters' },
        h('div', { class: 'grid' }, user, type, from, to),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Show events')), line);
    root.append(h('section', { class: 'card', 'aria-labelledby': 'audit-title' },
        h('h2', { id: 'audit-title' }, 'Audit trail'),
        h('p', { class: 'lead' }, 'Sign-ins, lockouts, account changes and tokens, newest first.'),
        form, results, pager));
    let offset = 0;

    form.addEventListener('submit', (event) => {
        event.preventDefault();
        offset = 0;
        load();
    });

    async function load() {
        say(line, '');
        const query = new URLSearchParams({ offset: String(offset), limit: String(LIMIT + 1) });
        if (user.input.value.trim()) {
            query.set('user', user.input.value.trim());
        }
        if (type.input.value) {
            query.set('type', type.input.value);
        }
        for (const [input, name] of [[from, 'from'], [to, 'to']]) {
            if (input.input.value) {
                query.set(name, new Date(input.input.value).toISOString());
            }
        }
        try {
            const envelope = await api.call('GET', `audit/?${query}`);
            // one more than a page is asked for, to know whether there is a next page
            const events = envelope.resultList.slice(0, LIMIT);
            fill(results, events.length ? eventTable(events) : h('p', { class: 'empty' }, 'No event matches.'));
            fill(pager,
                h('button', { type: 'button', class: 'secondary small', disabled: offset === 0,
                    onclick: () => { offset = Math.max(0, offset - LIMIT); load(); } }, 'Newer events'),
                h('span', {}, events.length ? `Events ${offset + 1} to ${offset + events.length}` : ''),
                h('button', { type: 'button', class: 'secondary small', disabled: envelope.resultList.length <= LIMIT,
                    onclick: () => { offset += LIMIT; load(); } }, 'Older events'));
        } catch (error) {
            if (api.signedIn()) {
                showError(form, line, error, { user: 'User', type: 'Event type', from: 'From', to: 'Until' });
            }
        }
    }

    load();
}

function eventTable(events) {
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
        h('caption', {}, 'Audit events, newest first'),
        h('thead', {}, h('tr', {}, ['When', 'Event', 'By', 'About', 'Detail', 'Address', 'Client']
            .map((name) => h('th', { scope: 'col' }, name)))),
        h('tbody', {}, events.map((event) => h('tr', {},
            h('td', { 'data-label': 'When' }, when(event.occurredAt)),
            h('th', { scope: 'row', 'data-label': 'Event' }, readable(event.type)),
            h('td', { 'data-label': 'By' }, event.actor || '—'),
            h('td', { 'data-label': 'About' }, event.subject || '—'),
            h('td', { 'data-label': 'Detail' }, event.detail || '—'),
            h('td', { 'data-label': 'Address' }, event.clientIp || '—'),
            h('td', { 'data-label': 'Client', class: 'agent', title: event.userAgent || null },
                h('span', {}, event.userAgent || '—')))))));
}

/** USER_DISABLED reads "User disabled". */
function readable(type) {
    const words = type.toLowerCase().replace(/_/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
}
