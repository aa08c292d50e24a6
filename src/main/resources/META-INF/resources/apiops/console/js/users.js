// User administration: list, create, edit roles and details, enable or disable, unlock, reset a password.

import * as api from './api.js';
import { catalogue } from './catalogue.js';
import { day, fill, h, uid } from './dom.js';
import { checkboxes, clearErrors, explain, field, fieldError, messageLine, say, showError } from './forms.js';
import { LIST_SIZE, newestOf, tokenTable } from './tokens.js';

const LABELS = { username: 'Username', password: 'Password', fullName: 'Full name', email: 'Email',
    roleNameList: 'Roles', enabled: 'Enabled' };

export async function usersView(root, context) {
    const roles = await catalogue(context.roles);
    const listLine = messageLine();
    const list = h('div', {});
    const panel = h('div', { class: 'manage', hidden: true, tabindex: '-1' });
    root.append(
        h('section', { class: 'card', 'aria-labelledby': 'users-title' },
            h('h2', { id: 'users-title' }, 'All users'), listLine, list),
        panel,
        createForm(roles, (user) => refresh(`User “${user.username}” created.`)));

    async function refresh(message = null) {
        try {
            const envelope = await api.call('GET', 'users/');
            fill(list, userTable(envelope.resultList));
            say(listLine, message || '', 'ok');
        } catch (error) {
            if (api.signedIn()) {
                say(listLine, explain(error), 'error');
            }
        }
    }

    function userTable(users) {
        const body = h('tbody', {});
        for (const user of users) {
            const nameId = uid('user');
            const line = messageLine();
            const toggle = h('button', { type: 'button', class: user.enabled ? 'danger small' : 'secondary small',
                'aria-describedby': nameId, onclick: () => act(toggle, line,
                    () => api.call('PUT', userPath(user), { enabled: !user.enabled }),
                    `User “${user.username}” ${user.enabled ? 'disabled' : 'enabled'}.`) },
            user.enabled ? 'Disable' : 'Enable');
            const unlock = user.locked ? h('button', { type: 'button', class: 'secondary small',
                'aria-describedby': nameId, onclick: () => act(unlock, line,
                    () => api.call('POST', `${userPath(user)}unlock/`), `User “${user.username}” unlocked.`) },
            'Unlock') : null;
            const manage = h('button', { type: 'button', class: 'secondary small', 'aria-describedby': nameId,
                onclick: () => open(user) }, 'Manage');
            body.append(h('tr', {},
                h('th', { scope: 'row', id: nameId, 'data-label': 'Username' }, user.username),
                h('td', { 'data-label': 'Full name' }, user.fullName || '—'),
                h('td', { 'data-label': 'Email' }, user.email || '—'),
                h('td', { 'data-label': 'Roles' }, user.roleNameList.length ? user.roleNameList.join(', ') : 'None'),
                h('td', { 'data-label': 'Status' }, h('span', { class: `status ${statusOf(user).toLowerCase()}` },
                    statusOf(user)), user.failedAttempts ? ` ${user.failedAttempts} failed` : ''),
                h('td', { 'data-label': 'Created' }, day(user.createdAt)),
                h('td', { 'data-label': 'Actions', class: 'row-actions' }, manage, toggle, unlock, line)));
        }
        return h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
            h('caption', {}, 'Users of the service'),
            h('thead', {}, h('tr', {}, ['Username', 'Full name', 'Email', 'Roles', 'Status', 'Created', 'Actions']
                .map((name) => h('th', { scope: 'col' }, name)))),
            body));
    }

    async function act(button, line, action, message) {
        button.disabled = true;
        try {
            await action();
            await refresh(message);
        } catch (error) {
            button.disabled = false;
            if (api.signedIn()) {
                say(line, explain(error), 'error');
            }
        }
    }

    /** The panel for one user: details and roles, password reset, and the user's tokens. */
    function open(user) {
        const fullName = field({ label: 'Full name', name: 'fullName', value: user.fullName || '', maxlength: 255 });
        const email = field({ label: 'Email', name: 'email', type: 'email', value: user.email || '', maxlength: 254 });
        const roleBoxes = checkboxes('Roles', 'roleNameList', roles, user.roleNameList);
        const enabledId = uid('enabled');
        const enabled = h('div', { class: 'field check' },
            h('input', { type: 'checkbox', id: enabledId, name: 'enabled', checked: user.enabled }),
            h('label', { for: enabledId }, 'Enabled: the user can sign in and use tokens'),
            h('p', { class: 'field-error', hidden: true }));
        const editLine = messageLine();
        const edit = h('form', { novalidate: true, 'aria-label': `Details of ${user.username}` },
            h('div', { class: 'grid' }, fullName, email), roleBoxes, enabled,
            h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save changes')), editLine);
        edit.addEventListener('submit', async (event) => {
            event.preventDefault();
            clearErrors(edit);
            const body = { fullName: fullName.input.value.trim() || null, email: email.input.value.trim() || null,
                roleNameList: roleBoxes.checked(), enabled: edit.querySelector(`#${enabledId}`).checked };
            try {
                const saved = await api.call('PUT', userPath(user), body);
                Object.assign(user, saved);
                say(editLine, 'Changes saved.', 'ok');
                refresh();
            } catch (error) {
                if (api.signedIn()) {
                    showError(edit, editLine, error, LABELS);
                }
            }
        });

        const newPassword = field({ label: 'New password', name: 'password', type: 'password',
            autocomplete: 'new-password', hint: 'Setting a password also ends a lockout and revokes the user’s tokens.' });
        const resetLine = messageLine();
        const reset = h('form', { novalidate: true, 'aria-label': `Reset the password of ${user.username}` },
            newPassword, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Reset password')),
            resetLine);
        reset.addEventListener('submit', async (event) => {
            event.preventDefault();
            clearErrors(reset);
            if (!newPassword.input.value) {
                fieldError(reset, 'password', 'Enter the new password.');
                newPassword.input.focus();
                return;
            }
            try {
                await api.call('PUT', `${userPath(user)}password/`, { password: newPassword.input.value });
                reset.reset();
                say(resetLine, 'Password set. Tell the user through a safe channel.', 'ok');
                refresh();
            } catch (error) {
                if (api.signedIn()) {
                    showError(reset, resetLine, error, { password: 'The new password' });
                }
            }
        });

        const tokensLine = messageLine();
        const tokens = h('div', {});
        async function loadTokens(message = null) {
            try {
                const envelope = await api.call('GET', `${userPath(user)}tokens/?size=${LIST_SIZE}&named=true`);
                fill(tokens, envelope.resultList.length
                    ? tokenTable(envelope.resultList, { caption: `Tokens of ${user.username}`, onChanged: loadTokens })
                    : h('p', { class: 'empty' }, 'This user has no tokens.'));
                say(tokensLine, message || newestOf(envelope), 'ok');
            } catch (error) {
                if (api.signedIn()) {
                    say(tokensLine, explain(error), 'error');
                }
            }
        }

        fill(panel,
            h('div', { class: 'panel-head' },
                h('h2', {}, `Manage ${user.username}`),
                h('button', { type: 'button', class: 'secondary small', onclick: () => {
                    panel.hidden = true;
                    fill(panel);
                } }, 'Close')),
            h('div', { class: 'columns' },
                h('section', { 'aria-label': 'Details and roles' }, h('h3', {}, 'Details and roles'), edit),
                h('section', { 'aria-label': 'Password' }, h('h3', {}, 'Password'), reset)),
            h('section', { 'aria-label': `Tokens of ${user.username}` }, h('h3', {}, 'Tokens'), tokensLine, tokens));
        panel.classList.add('card');
        panel.hidden = false;
        panel.focus();
        loadTokens();
    }

    refresh();
}

function statusOf(user) {
    if (!user.enabled) {
        return 'Disabled';
    }
    return user.locked ? 'Locked' : 'Active';
}

function userPath(user) {
    return `users/${encodeURIComponent(user.username)}/`;
}

function createForm(roles, onCreated) {
    const username = field({ label: 'Username', name: 'username', required: true, maxlength: 128, autocomplete: 'off',
        autocapitalize: 'none', spellcheck: 'false' });
    const password = field({ label: 'Password', name: 'password', type: 'password', required: true,
        autocomplete: 'new-password', hint: 'At least 12 characters; common or breached passwords are refused.' });
    const fullName = field({ label: 'Full name', name: 'fullName', maxlength: 255, autocomplete: 'off' });
    const email = field({ label: 'Email', name: 'email', type: 'email', maxlength: 254, autocomplete: 'off' });
    const roleBoxes = checkboxes('Roles', 'roleNameList', roles, []);
    const enabledId = uid('enabled');
    const line = messageLine();
    const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'create-user-title' },
        h('h2', { id: 'create-user-title' }, 'Create a user'),
        h('div', { class: 'grid' }, username, password, fullName, email), roleBoxes,
        h('div', { class: 'field check' },
            h('input', { type: 'checkbox', id: enabledId, name: 'enabled', checked: true }),
            h('label', { for: enabledId }, 'Enabled'), h('p', { class: 'field-error', hidden: true })),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create user')), line);
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearErrors(form);
        say(line, '');
        const body = { username: username.input.value, password: password.input.value,
            fullName: fullName.input.value.trim() || null, email: email.input.value.trim() || null,
            roleNameList: roleBoxes.checked(), enabled: form.querySelector(`#${enabledId}`).checked };
        try {
            const user = await api.call('POST', 'users/', body);
            form.reset();
            say(line, `User “${user.username}” created.`, 'ok');
            onCreated(user);
        } catch (error) {
            if (!api.signedIn()) {
                return;
            }
            if (error.code === 'duplicate_name') {
                fieldError(form, 'username', 'This username is taken. Choose another.');
                say(line, 'The user was not created.', 'error');
                username.input.focus();
                return;
            }
            showError(form, line, error, LABELS);
        }
    });
    return form;
}
