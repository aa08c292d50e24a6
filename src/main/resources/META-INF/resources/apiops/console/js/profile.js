// My Profile: the account at a glance and its Personal API Access Tokens.

import * as api from './api.js';
import { offers } from './capabilities.js';
import { fill, h, uid } from './dom.js';
import { checkboxes, clearErrors, explain, field, fieldError, messageLine, say, showError } from './forms.js';
import { LIST_SIZE, newestOf, tokenTable } from './tokens.js';

const EXPIRATIONS = [
    ['never', 'Never Expires'],
    ['7', '7 days'],
    ['30', '30 days'],
    ['90', '90 days'],
    ['365', '1 year'],
    ['date', 'Choose a date'],
];

const LABELS = {
    name: 'Token Name', expireDate: 'Expiration', roleNameList: 'Roles', allowedAddresses: 'Allowed addresses',
    currentPassword: 'Current password',
};

export function profileView(root, context) {
    const { me } = context;
    root.append(h('section', { class: 'card summary', 'aria-labelledby': 'account-title' },
        h('h2', { id: 'account-title' }, 'Account'),
        h('dl', { class: 'facts' },
            h('dt', {}, 'Username'), h('dd', {}, me.username),
            me.fullName ? [h('dt', {}, 'Full name'), h('dd', {}, me.fullName)] : null,
            me.email ? [h('dt', {}, 'Email'), h('dd', {}, me.email)] : null,
            h('dt', {}, 'Roles'), h('dd', {}, context.roles.length ? context.roles.join(', ') : 'None'))));

    const section = h('section', { class: 'card', 'aria-labelledby': 'pat-title' },
        h('h2', { id: 'pat-title' }, 'Personal API Access Tokens'),
        h('p', { class: 'lead' }, 'Scripts and tools use these tokens instead of your password. Each is shown once, '
            + 'when it is created; revoke a token as soon as it is no longer needed.'));
    const created = h('div', { class: 'created', hidden: true, tabindex: '-1' });
    const listLine = messageLine();
    const list = h('div', { class: 'token-list' });
    const showAll = h('input', { type: 'checkbox', id: uid('show-all') });
    const listControls = h('div', { class: 'list-controls' },
        h('div', { class: 'check' }, showAll, h('label', { for: showAll.id }, 'Show revoked, expired and sign-in tokens')));
    section.append(createForm(context, reveal), created, h('h3', {}, 'Your tokens'), listControls, listLine, list);
    root.append(section);

    let canRotate = false;
    offers('/apiops/auth/tokens/{id}/rotate').then((yes) => {
        canRotate = yes;
        refresh();
    });
    showAll.addEventListener('change', () => refresh());

    async function refresh(message = null) {
        try {
            const ownId = api.ownTokenId();
            // By default the active named tokens and, of the sign-in tokens, only the console's own, each asked for
            // on its own, so that a script's many sign-ins cannot push the named tokens out of the page.
            const envelope = await api.call('GET',
                `auth/tokens/?size=${LIST_SIZE}${showAll.checked ? '' : '&active=true&named=true'}`);
            let rows = envelope.resultList;
            if (!showAll.checked) {
                const signIns = await api.call('GET', `auth/tokens/?size=${LIST_SIZE}&active=true&named=false`);
                rows = rows.concat(signIns.resultList.filter((token) => token.id === ownId))
                    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
            }
            fill(list, rows.length
                ? tokenTable(rows, { ownId, canRotate, onChanged: refresh, onRotated: (token) => {
                    reveal(token, 'rotated');
                }, caption: 'Your personal API access tokens' })
                : h('p', { class: 'empty' }, 'No tokens to show.'));
            say(listLine, message || newestOf(envelope), 'ok');
        } catch (error) {
            if (api.signedIn()) {
                say(listLine, explain(error), 'error');
            }
        }
    }

    /** Shows a new token's value, this once, with a Copy button. */
    function reveal(token, how = 'created') {
        const valueId = uid('token-value');
        const value = h('textarea', { id: valueId, class: 'secret', readonly: true, rows: 3, spellcheck: 'false',
            'aria-describedby': `${valueId}-note` });
        value.value = token.access_token;
        const copyLine = messageLine();
        const copy = h('button', { type: 'button', class: 'primary', onclick: () => copyValue(value, copyLine) }, 'Copy');
        const done = h('button', { type: 'button', class: 'secondary', onclick: () => {
            fill(created);
            created.hidden = true;
        } }, 'Done');
        fill(created,
            h('h3', {}, how === 'rotated' ? `Token “${token.name}” rotated` : `Token “${token.name}” created`),
            h('p', { id: `${valueId}-note`, class: 'notice warning' },
                'Copy this token now. It will not be shown again'
                + (how === 'rotated' ? '; the old one has stopped working.' : '.')
                + (token.expireDate ? '' : ' It never expires.')),
            h('label', { for: valueId }, 'New token value'), value,
            h('div', { class: 'actions' }, copy, done), copyLine);
        created.hidden = false;
        created.focus();
        refresh();
    }

    refresh();
}

async function copyValue(textarea, line) {
    try {
        await navigator.clipboard.writeText(textarea.value);
        say(line, 'Copied to the clipboard.', 'ok');
        return;
    } catch {
        // no asynchronous clipboard here (an insecure origin, or permission refused): select and copy instead
    }
    textarea.focus();
    textarea.select();
    let copied = false;
    try {
        copied = document.execCommand('copy');
    } catch {
        copied = false;
    }
    say(line, copied ? 'Copied to the clipboard.' : 'The browser did not allow copying: the value is selected, '
        + 'press Ctrl+C (or ⌘C) to copy it.', copied ? 'ok' : 'error');
}

function createForm(context, reveal) {
    const name = field({ label: 'Token Name', name: 'name', required: true, maxlength: 100, autocomplete: 'off',
        hint: 'What the token is for, such as “CI deploy job”.' });
    const expiration = field({ label: 'Expiration', name: 'expireDate', type: 'select', choices: EXPIRATIONS,
        value: '30' });
    const date = field({ label: 'Expires on', name: 'expiresOn', type: 'date', min: isoDate(1) });
    date.hidden = true;
    expiration.input.addEventListener('change', () => {
        date.hidden = expiration.input.value !== 'date';
    });
    const roles = checkboxes('Roles', 'roleNameList', context.roles, context.roles,
        'The token gets the checked roles only. Uncheck roles it does not need.');
    const addresses = field({ label: 'Allowed addresses (optional)', name: 'allowedAddresses', type: 'textarea',
        hint: 'IP addresses or CIDR ranges, one per line or separated by commas, such as 203.0.113.7 or 10.0.0.0/8. '
            + 'Empty: any address.' });
    const more = h('details', { class: 'more' }, h('summary', {}, 'Roles and allowed addresses'),
        context.roles.length ? roles : null, addresses);
    const password = h('div', { class: 'reauth', hidden: true });
    const line = messageLine();
    const button = h('button', { type: 'submit', class: 'primary' }, 'Create API Token');
    const form = h('form', { class: 'create-token', novalidate: true, 'aria-label': 'New personal API access token' },
        h('div', { class: 'grid' }, name, h('div', {}, expiration, date)), more, password,
        h('div', { class: 'actions' }, button), line);

    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearErrors(form);
        say(line, '');
        const body = { name: name.input.value.trim() };
        if (!body.name) {
            fieldError(form, 'name', 'Token Name is required.');
            name.input.focus();
            return;
        }
        const choice = expiration.input.value;
        if (choice === 'never') {
            body.expireDate = null;
        } else if (choice === 'date') {
            if (!date.input.value) {
                fieldError(form, 'expiresOn', 'Choose the day the token expires.');
                date.input.focus();
                return;
            }
            // the end of the chosen day in the browser's time zone
            body.expireDate = new Date(`${date.input.value}T23:59:59`).toISOString();
        } else {
            body.expireDate = new Date(Date.now() + Number(choice) * 86400000).toISOString();
        }
        const chosen = roles.checked();
        if (context.roles.length && chosen.length === 0) {
            more.open = true;
            fieldError(form, 'roleNameList', 'Check at least one role.');
            roles.querySelector('input').focus();
            return;
        }
        if (chosen.length < context.roles.length) {
            body.roleNameList = chosen;
        }
        const allowed = addresses.input.value.split(/[\s,]+/).filter(Boolean);
        if (allowed.length) {
            body.allowedAddresses = allowed;
        }
        const current = password.querySelector('input');
        if (current && !password.hidden) {
            body.currentPassword = current.value;
        }
        button.disabled = true;
        try {
            const token = await api.call('POST', 'auth/tokens/', body);
            form.reset();
            date.hidden = true;
            password.hidden = true;
            fill(password);
            reveal(token);
        } catch (error) {
            if (!api.signedIn()) {
                return;
            }
            if (error.code === 'reauthentication_required') {
                askPassword(password, !!current && !password.hidden);
                say(line, '');
                return;
            }
            if (error.fields?.some((f) => f.field === 'roleNameList' || f.field === 'allowedAddresses')) {
                more.open = true;
            }
            if (error.fields?.some((f) => f.field === 'expireDate') && choice === 'date') {
                error.fields = error.fields.map((f) => (f.field === 'expireDate' ? { ...f, field: 'expiresOn' } : f));
            }
            showError(form, line, error, { ...LABELS, expiresOn: 'The expiry date' });
        } finally {
            button.disabled = false;
        }
    });
    return form;
}

/** Section 10's re-authentication: a token that outlives this sign-in needs the password again. */
function askPassword(holder, wasWrong) {
    const input = field({ label: 'Current password', name: 'currentPassword', type: 'password',
        autocomplete: 'current-password',
        hint: 'This token would outlive your sign-in, so confirm your password, then choose Create API Token again.' });
    fill(holder, input);
    holder.hidden = false;
    if (wasWrong) {
        fieldError(holder, 'currentPassword', 'The password is not correct.');
    }
    input.input.focus();
}

function isoDate(daysAhead) {
    const date = new Date(Date.now() + daysAhead * 86400000);
    return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}
