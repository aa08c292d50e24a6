// A table of personal tokens, used for the caller's own and, for administrators, anyone's.

import * as api from './api.js';
import { h, when } from './dom.js';
import { explain, messageLine, say } from './forms.js';

/** How many tokens a list shows at most: the newest, as the service lists them; the most it gives in one page. */
export const LIST_SIZE = 500;

/** A note for a list the service cut to its newest tokens, or nothing when it holds them all. */
export function newestOf(envelope) {
    return envelope.resultCount > envelope.resultList.length
        ? `Showing the newest ${envelope.resultList.length} of ${envelope.resultCount} tokens.`
        : '';
}

/**
 * rows: tokens from the API. options: owner (show an Owner column), ownId (the console's own token),
 * canRotate, onRotated(created), onChanged().
 */
export function tokenTable(rows, options) {
    const { owner = false, ownId = null, canRotate = false, onRotated = () => {}, onChanged = () => {},
        caption } = options;
    const headers = ['Name', owner ? 'Owner' : null, 'Created', 'Expires', 'Last used', 'Last used from', 'Roles',
        'Status', 'Actions'].filter(Boolean);
    const body = h('tbody', {});
    for (const token of rows) {
        body.append(tokenRow(token, { owner, ownId, canRotate, onRotated, onChanged }));
    }
    return h('div', { class: 'table-wrap' },
        h('table', { class: 'data' },
            h('caption', {}, caption),
            h('thead', {}, h('tr', {}, headers.map((name) => h('th', { scope: 'col' }, name)))),
            body));
}

export function tokenStatus(token, now = Date.now()) {
    if (token.revoked) {
        return token.revokedReason && token.revokedReason !== 'revoked' ? `Revoked (${token.revokedReason})` : 'Revoked';
    }
    if (token.expireDate && new Date(token.expireDate).getTime() <= now) {
        return 'Expired';
    }
    return 'Active';
}

function tokenRow(token, options) {
    const status = tokenStatus(token);
    const mine = options.ownId && token.id === options.ownId;
    const line = messageLine();
    const nameId = `token-${token.id}`;
    const cells = [
        h('th', { scope: 'row', 'data-label': 'Name', id: nameId }, h('span', {}, token.name,
            mine ? h('span', { class: 'badge' }, 'this sign-in') : null)),
        options.owner ? h('td', { 'data-label': 'Owner' }, token.owner || '—') : null,
        h('td', { 'data-label': 'Created' }, when(token.createdAt)),
        h('td', { 'data-label': 'Expires' }, when(token.expireDate, 'Never')),
        h('td', { 'data-label': 'Last used' }, when(token.lastUsedAt, 'Never')),
        h('td', { 'data-label': 'Last used from' }, token.lastUsedAddress || '—'),
        h('td', { 'data-label': 'Roles' }, token.roleNameList ? token.roleNameList.join(', ') : 'All of the owner’s'),
        h('td', { 'data-label': 'Status' }, h('span', { class: `status ${status.split(' ')[0].toLowerCase()}` }, status)),
    ];
    const actions = h('td', { 'data-label': 'Actions', class: 'row-actions' });
    if (status === 'Active') {
        if (options.canRotate) {
            actions.append(h('button', { type: 'button', class: 'secondary small', 'aria-describedby': nameId,
                onclick: (event) => rotate(token, event.currentTarget, line, options) }, 'Rotate'));
        }
        actions.append(h('button', { type: 'button', class: 'danger small', 'aria-describedby': nameId,
            onclick: (event) => revoke(token, event.currentTarget, line, options, mine) }, 'Revoke'));
    }
    actions.append(line);
    cells.push(actions);
    return h('tr', { 'data-token-id': token.id }, cells);
}

async function revoke(token, button, line, options, mine) {
    if (mine) {
        await api.signOut();
        return;
    }
    button.disabled = true;
    try {
        await api.call('DELETE', `auth/tokens/${encodeURIComponent(token.id)}`);
        options.onChanged(`Token “${token.name}” revoked. It no longer works.`);
    } catch (error) {
        button.disabled = false;
        if (api.signedIn()) {
            say(line, explain(error), 'error');
        }
    }
}

async function rotate(token, button, line, options, currentPassword = undefined) {
    button.disabled = true;
    try {
        const created = await api.call('POST', `auth/tokens/${encodeURIComponent(token.id)}/rotate`,
            currentPassword === undefined ? undefined : { currentPassword });
        options.onRotated(created);
    } catch (error) {
        button.disabled = false;
        if (!api.signedIn()) {
            return;
        }
        if (error.code === 'reauthentication_required' && currentPassword === undefined) {
            confirmPassword(line, (password) => rotate(token, button, line, options, password));
            return;
        }
        if (error.status === 404 && error.description === 'No such resource' || error.status === 405) {
            button.hidden = true;
            say(line, 'This server cannot rotate tokens yet. Create a new token and revoke this one instead.', 'error');
            return;
        }
        say(line, explain(error), 'error');
    }
}

/** Asks for the password in place, next to the control that needs it. */
function confirmPassword(line, go) {
    const input = h('input', { type: 'password', autocomplete: 'current-password', 'aria-label': 'Current password' });
    const form = h('form', { class: 'inline-confirm', novalidate: true },
        h('p', {}, 'Confirm your password to go on.'), input,
        h('button', { type: 'submit', class: 'primary small' }, 'Confirm'));
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        const password = input.value;
        form.remove();
        go(password);
    });
    line.after(form);
    input.focus();
}
