// Labelled fields, and API errors shown in words next to the control they are about.

import { h, uid } from './dom.js';

/**
 * A labelled input with room for a hint and an error. options: label, name, type, required, autocomplete, hint,
 * value, and any other attribute of the input. type 'select' takes options: [[value, text]...]; 'textarea' is a
 * text area.
 */
export function field(options) {
    const { label, hint, type = 'text', choices, ...rest } = options;
    const id = uid(rest.name || 'field');
    const hintId = hint ? `${id}-hint` : null;
    const errorId = `${id}-error`;
    let input;
    const common = { id, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' '), ...rest };
    if (type === 'select') {
        const { value: chosen, ...attributes } = common;
        input = h('select', attributes,
            choices.map(([value, text]) => h('option', { value, selected: value === chosen }, text)));
    } else if (type === 'textarea') {
        input = h('textarea', { rows: 3, ...common });
    } else {
        input = h('input', { type, ...common });
    }
    const wrapper = h('div', { class: 'field' },
        h('label', { for: id }, label),
        hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
        input,
        h('p', { class: 'field-error', id: errorId, hidden: true }));
    wrapper.input = input;
    return wrapper;
}

/** A fieldset of checkboxes, one per value; checked() gives the chosen values. */
export function checkboxes(legend, name, values, checked = [], hint = null) {
    const hintId = hint ? uid('hint') : null;
    const errorId = uid('error');
    const boxes = values.map((value) => {
        const id = uid(name);
        return h('div', { class: 'check' },
            h('input', { type: 'checkbox', id, name, value, checked: checked.includes(value) }),
            h('label', { for: id }, value));
    });
    const set = h('fieldset', { class: 'field checks', name, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') },
        h('legend', {}, legend),
        hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
        h('div', { class: 'check-list' }, boxes),
        h('p', { class: 'field-error', id: errorId, hidden: true }));
    set.checked = () => [...set.querySelectorAll('input:checked')].map((box) => box.value);
    return set;
}

/** A line for a message about a whole form or a row, read out by screen readers when it changes. */
export function messageLine() {
    return h('p', { class: 'message', role: 'status', hidden: true });
}

export function say(line, text, kind = 'ok') {
    line.textContent = text;
    line.className = `message ${kind}`;
    line.hidden = !text;
    line.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

/** Clears every error shown in a form. */
export function clearErrors(form) {
    for (const error of form.querySelectorAll('.field-error')) {
        error.hidden = true;
        error.textContent = '';
    }
    for (const invalid of form.querySelectorAll('[aria-invalid]')) {
        invalid.removeAttribute('aria-invalid');
    }
}

/** Puts a message under the control named name in form; false when there is no such control. */
export function fieldError(form, name, text) {
    const control = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!control) {
        return false;
    }
    const holder = control.closest('.field');
    const error = holder?.querySelector('.field-error');
    if (!error) {
        return false;
    }
    error.textContent = text;
    error.hidden = false;
    (control.matches('fieldset') ? control.querySelector('input') || control : control).setAttribute('aria-invalid', 'true');
    return true;
}

/**
 * Shows an API error in a form: validation errors under their fields (labels[field] names it for the reader),
 * anything else in the form's message line. Focuses the first offending control.
 */
export function showError(form, line, error, labels = {}) {
    clearErrors(form);
    let first = null;
    const unplaced = [];
    for (const { field: name, message } of error.fields || []) {
        const top = String(name).split('.')[0];
        const text = fieldMessage(labels[top] || top, message);
        if (fieldError(form, top, text)) {
            first = first || form.querySelector(`[name="${CSS.escape(top)}"]`);
        } else {
            unplaced.push(text);
        }
    }
    if (error.fields?.length) {
        say(line, unplaced.length ? unplaced.join(' ') : 'Please correct the fields marked below.', 'error');
    } else {
        say(line, explain(error), 'error');
    }
    if (first) {
        (first.matches('fieldset') ? first.querySelector('input') : first)?.focus();
    }
}

/** A validation message of the API as a sentence about a field. */
export function fieldMessage(label, message) {
    const known = {
        'must not be blank': `${label} is required.`,
        'must not be empty': `${label} is required.`,
        'must not be null': `${label} is required.`,
        'is not a known field': `${label} is not supported by this server yet; leave it empty.`,
        'has the wrong type': `${label} has the wrong format.`,
        'must be a future date': `${label} must be in the future.`,
        'must be a well-formed email address': `${label} must be an email address, like name@example.com.`,
    };
    if (known[message]) {
        return known[message];
    }
    const sentence = `${label} ${message}`;
    return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** Any error of the API as a sentence a person understands. */
export function explain(error) {
    switch (error.code) {
    case 'network':
        return 'The service cannot be reached. Check the connection and try again.';
    case 'forbidden':
        return 'You do not have permission to do this.';
    case 'rate_limit_exceeded':
        // The failed-login limit, or another (the tokens made in an hour), whose description says what and when.
        return /^Too many failed logins/.test(error.description || '')
            ? `Too many failed sign-ins from this address. Try again in ${error.retryAfter || 60} seconds.`
            : sentence(error.description || `Too many requests. Try again in ${error.retryAfter || 60} seconds.`);
    case 'temporarily_unavailable':
        return 'The service is busy. Try again in a moment.';
    case 'server_error':
        return 'Something went wrong in the service. Try again later; if it keeps happening, tell an administrator.';
    case 'duplicate_name':
        return 'A user with this username already exists. Choose another username.';
    case 'reauthentication_required':
        return 'Confirm your password to go on.';
    case 'not_found':
        return error.description === 'No such resource'
            ? 'This server does not offer this feature yet.'
            : sentence(error.description || 'It no longer exists. Reload the list.');
    default:
        if (error.status === 401) {
            return 'Your sign-in is no longer valid. Sign in again.';
        }
        return sentence(error.description || `The service answered with status ${error.status}.`);
    }
}

function sentence(text) {
    return /[.!?]$/.test(text) ? text : `${text}.`;
}
