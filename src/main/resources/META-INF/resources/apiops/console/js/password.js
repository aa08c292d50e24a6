// The user's own password change. The policy lives in the service; its answers are shown under the fields.

import * as api from './api.js';
import { h } from './dom.js';
import { clearErrors, field, fieldError, messageLine, say, showError } from './forms.js';

export function passwordView(root, context) {
    const current = field({ label: 'Current password', name: 'currentPassword', type: 'password',
        autocomplete: 'current-password', required: true });
    const next = field({ label: 'New password', name: 'newPassword', type: 'password', autocomplete: 'new-password',
        required: true, hint: 'At least 12 characters. Long passphrases are best; common or breached passwords and '
            + 'ones that contain your username are refused.' });
    const repeat = field({ label: 'Repeat the new password', name: 'repeatPassword', type: 'password',
        autocomplete: 'new-password', required: true });
    const line = messageLine();
    const button = h('button', { type: 'submit', class: 'primary' }, 'Change password');
    const form = h('form', { class: 'card narrow', novalidate: true, 'aria-labelledby': 'password-title' },
        h('h2', { id: 'password-title' }, 'Your password'),
        h('p', { class: 'notice warning' }, 'Changing your password revokes all your tokens, personal API access '
            + 'tokens included. The console signs you in again with the new password.'),
        current, next, repeat, h('div', { class: 'actions' }, button), line);
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearErrors(form);
        say(line, '');
        for (const input of [current, next, repeat]) {
            if (!input.input.value) {
                fieldError(form, input.input.name, `${input.querySelector('label').textContent} is required.`);
                input.input.focus();
                return;
            }
        }
        if (next.input.value !== repeat.input.value) {
            fieldError(form, 'repeatPassword', 'The two new passwords are not the same.');
            repeat.input.focus();
            return;
        }
        button.disabled = true;
        const newPassword = next.input.value;
        try {
            await api.call('PUT', 'auth/me/password', { currentPassword: current.input.value, newPassword });
        } catch (error) {
            button.disabled = false;
            if (!api.signedIn()) {
                return;
            }
            if (error.code === 'invalid_request' && /current password/i.test(error.description || '')) {
                fieldError(form, 'currentPassword', 'The current password is not correct.');
                current.input.focus();
                say(line, 'The password was not changed.', 'error');
                return;
            }
            showError(form, line, error, { currentPassword: 'The current password', newPassword: 'The new password' });
            return;
        }
        form.reset();
        try {
            // the change revoked the console's own token too
            await api.signIn(context.me.username, newPassword);
            say(line, 'Your password has been changed, and all your earlier tokens revoked.', 'ok');
        } catch {
            // the sign-in view explains
        } finally {
            button.disabled = false;
        }
    });
    root.append(form);
}
