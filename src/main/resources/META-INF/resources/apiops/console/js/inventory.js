// Every user's tokens, for administrators: the service's inventory with its filters, or one user's tokens where the
// service has no inventory.

import * as api from './api.js';
import { offers } from './capabilities.js';
import { fill, h } from './dom.js';
import { explain, field, messageLine, say, showError } from './forms.js';
import { tokenTable } from './tokens.js';

const PAGE = 50;

export async function inventoryView(root) {
    const inventory = await offers('/apiops/tokens');
    const owner = field({ label: 'Owner', name: 'owner', autocomplete: 'off', autocapitalize: 'none',
        spellcheck: 'false', hint: inventory ? 'A username; empty for everyone.' : 'The username whose tokens to list.' });
    const active = field({ label: 'State', name: 'active', type: 'select', value: '',
        choices: [['', 'Active and inactive'], ['true', 'Active only'], ['false', 'Revoked or expired only']] });
    const expiring = field({ label: 'Expiring before', name: 'expiringBefore', type: 'date' });
    const unused = field({ label: 'Unused since', name: 'unusedSince', type: 'date',
        hint: 'Includes tokens never used.' });
    const line = messageLine();
    const results = h('div', {});
    const pager = h('div', { class: 'pager' });
    const form = h('form', { class: 'filters', novalidate: true, 'aria-label': 'Token filters' },
        h('div', { class: 'grid' }, owner, active, inventory ? expiring : null, inventory ? unused : null),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Show tokens')), line);
    root.append(h('section', { class: 'card', 'aria-labelledby': 'inventory-title' },
        h('h2', { id: 'inventory-title' }, 'Every user’s tokens'),
        inventory ? null : h('p', { class: 'notice info' },
            'This server has no token inventory yet: the list shows one user’s tokens at a time.'),
        form, results, pager));
    let page = 0;

    form.addEventListener('submit', (event) => {
        event.preventDefault();
        page = 0;
        load();
    });

    async function load() {
        say(line, '');
        try {
            // Both lists take the same filters and page; only the whole inventory takes an owner among them.
            const query = new URLSearchParams({ page: String(page), size: String(PAGE) });
            if (active.input.value) {
                query.set('active', active.input.value);
            }
            if (expiring.input.value) {
                query.set('expiringBefore', new Date(`${expiring.input.value}T00:00:00`).toISOString());
            }
            if (unused.input.value) {
                query.set('unusedSince', new Date(`${unused.input.value}T00:00:00`).toISOString());
            }
            const name = owner.input.value.trim();
            let envelope;
            if (inventory) {
                if (name) {
                    query.set('owner', name);
                }
                envelope = await api.call('GET', `tokens/?${query}`);
            } else {
                if (!name) {
                    say(line, 'Enter the username whose tokens to list.', 'error');
                    owner.input.focus();
                    return;
                }
                envelope = await api.call('GET', `users/${encodeURIComponent(name)}/tokens/?${query}`);
            }
            const rows = inventory ? envelope.resultList : envelope.resultList.map((token) => ({ ...token, owner: name }));
            const total = envelope.resultCount;
            fill(results, rows.length
                ? tokenTable(rows, { owner: true, caption: 'Tokens matching the filters', onChanged: (message) => {
                    load().then(() => say(line, message, 'ok'));
                } })
                : h('p', { class: 'empty' }, 'No token matches these filters.'));
            renderPager(total);
        } catch (error) {
            if (api.signedIn()) {
                if (error.status === 404 && !inventory) {
                    fill(results);
                    showError(form, line, { ...error, fields: [] });
                    say(line, 'There is no user with this username.', 'error');
                } else {
                    showError(form, line, error, { owner: 'Owner', active: 'State', expiringBefore: 'Expiring before',
                        unusedSince: 'Unused since', page: 'Page', size: 'Page size' });
                }
            }
        }
    }

    function renderPager(total) {
        if (total <= PAGE) {
            fill(pager);
            return;
        }
        const pages = Math.ceil(total / PAGE);
        fill(pager,
            h('button', { type: 'button', class: 'secondary small', disabled: page === 0,
                onclick: () => { page -= 1; load(); } }, 'Previous page'),
            h('span', {}, `Page ${page + 1} of ${pages}, ${total} tokens`),
            h('button', { type: 'button', class: 'secondary small', disabled: page + 1 >= pages,
                onclick: () => { page += 1; load(); } }, 'Next page'));
    }

    if (inventory) {
        load();
    }
}
