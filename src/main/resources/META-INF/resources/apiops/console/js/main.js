// The console's frame: sign-in, the navigation, and which view is shown.

import * as api from './api.js';
import { fill, h } from './dom.js';
import { explain, field, messageLine, say } from './forms.js';
import { passwordView } from './password.js';
import { profileView } from './profile.js';
import { auditView } from './audit.js';
import { inventoryView } from './inventory.js';
import { usersView } from './users.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const account = document.getElementById('account');

const VIEWS = {
    profile: { title: 'My Profile', render: profileView },
    password: { title: 'Change password', render: passwordView },
    users: { title: 'Users', render: usersView, admin: true },
    tokens: { title: 'Tokens', render: inventoryView, admin: true },
    audit: { title: 'Audit', render: auditView, admin: true },
};

/** What every view gets: who is signed in, and a way to go elsewhere. */
const context = { me: null, roles: [], admin: false, show };

api.whenSignedOut((message) => signInView(message));

function signInView(message = null, kind = 'info') {
    context.me = null;
    nav.hidden = true;
    account.hidden = true;
    fill(nav);
    fill(account);
    document.title = 'Sign in · apiops console';
    const username = field({ label: 'Username', name: 'username', autocomplete: 'username', required: true,
        autocapitalize: 'none', spellcheck: 'false' });
    const password = field({ label: 'Password', name: 'password', type: 'password',
        autocomplete: 'current-password', required: true });
    const line = messageLine();
    const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
    const form = h('form', { class: 'card narrow', method: 'post', 'aria-labelledby': 'sign-in-title', novalidate: true },
        h('h1', { id: 'sign-in-title', tabindex: '-1' }, 'Management console'),
        h('p', { class: 'lead' }, 'Use your apiops username and password.'),
        message ? h('p', { class: `notice ${kind}`, role: 'status' }, message) : null,
        username, password, h('div', { class: 'actions' }, button), line);
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const name = username.input.value;
        if (!name || !password.input.value) {
            say(line, 'Enter your username and password.', 'error');
            (name ? password : username).input.focus();
            return;
        }
        button.disabled = true;
        say(line, 'Signing in…', 'info');
        try {
            await api.signIn(name, password.input.value);
            password.input.value = '';
            await start();
        } catch (error) {
            password.input.value = '';
            const text = error.code === 'unauthorized_client'
                ? 'The username or password is not correct, or the account is disabled or locked.'
                : explain(error);
            say(line, text, 'error');
            password.input.focus();
        } finally {
            button.disabled = false;
        }
    });
    fill(main, form);
    history.replaceState(null, '', location.pathname);
    (message ? form.querySelector('h1') : username.input).focus();
}

async function start() {
    try {
        context.me = await api.call('GET', 'auth/me');
    } catch (error) {
        if (api.signedIn()) {
            signInView(explain(error), 'error');
        }
        return;
    }
    context.roles = context.me.roleNameList || [];
    context.admin = context.roles.includes('ROLE_ADMIN');
    renderFrame();
    const wanted = location.hash.slice(1);
    show(VIEWS[wanted] && (!VIEWS[wanted].admin || context.admin) ? wanted : 'profile');
}

function renderFrame() {
    const links = Object.entries(VIEWS)
        .filter(([, view]) => !view.admin || context.admin)
        .map(([key, view]) => h('li', {}, h('a', { href: `#${key}`, 'data-view': key }, view.title)));
    fill(nav, h('ul', {}, links));
    nav.hidden = false;
    const who = context.me.fullName ? `${context.me.fullName} (${context.me.username})` : context.me.username;
    fill(account,
        h('span', { class: 'who' }, h('span', { class: 'visually-hidden' }, 'Signed in as '), who),
        h('button', { type: 'button', class: 'secondary', onclick: () => api.signOut() }, 'Sign out'));
    account.hidden = false;
}

/** Shows one view, marks it in the navigation and moves focus to its heading. */
function show(key) {
    if (!context.me) {
        return;
    }
    const view = VIEWS[key] && (!VIEWS[key].admin || context.admin) ? VIEWS[key] : VIEWS.profile;
    for (const link of nav.querySelectorAll('a')) {
        if (link.dataset.view === key) {
            link.setAttribute('aria-current', 'page');
        } else {
            link.removeAttribute('aria-current');
        }
    }
    if (location.hash !== `#${key}`) {
        history.replaceState(null, '', `#${key}`);
    }
    document.title = `${view.title} · apiops console`;
    const heading = h('h1', { tabindex: '-1' }, view.title);
    const body = h('div', { class: 'view' });
    fill(main, heading, body);
    view.render(body, context);
    heading.focus();
}

window.addEventListener('hashchange', () => {
    const key = location.hash.slice(1);
    if (context.me && VIEWS[key]) {
        show(key);
    }
});

signInView();
