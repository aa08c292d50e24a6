// Every call to the service. The access token lives in this module's memory and nowhere else: not in a cookie,
// not in web storage, not in a URL. Reloading the page or closing the tab forgets it.

const base = new URL('../', document.baseURI); // the service's /apiops/, wherever it is mounted

let token = null;
let expiry = null;
let onSignedOut = () => {};

/** An answer of the API that was not a success, with what a person needs to read about it. */
export class ApiError extends Error {
    constructor(status, body) {
        super(body?.error_description || `HTTP ${status}`);
        this.status = status;
        this.code = body?.error || null;
        this.description = body?.error_description || null;
        this.fields = body?.validation_errors || [];
        this.retryAfter = body?.retry_after ?? null;
    }
}

/** Called with a message when the token stops working: expired, revoked, or the user was disabled. */
export function whenSignedOut(callback) {
    onSignedOut = callback;
}

export function signedIn() {
    return token !== null;
}

/** The jti of the console's own token, read (not verified) from its payload, to mark it in the token list. */
export function ownTokenId() {
    try {
        const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
        return JSON.parse(atob(part)).jti || null;
    } catch {
        return null;
    }
}

export async function signIn(username, password) {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: username, client_secret: password });
    const response = await send('auth/token', { method: 'POST', body: form });
    const body = await readJson(response);
    if (!response.ok) {
        throw new ApiError(response.status, body);
    }
    adopt(body.access_token, body.expires_in);
}

function adopt(value, expiresIn) {
    token = value;
    clearTimeout(expiry);
    if (Number.isFinite(expiresIn) && expiresIn > 0) {
        // setTimeout holds at most about 24.8 days
        expiry = setTimeout(() => drop('Your sign-in has expired. Sign in again to go on.'),
            Math.min(expiresIn * 1000, 2 ** 31 - 1));
    }
}

function drop(message) {
    token = null;
    clearTimeout(expiry);
    onSignedOut(message);
}

/** Revokes the console's token (RFC 7009) and forgets it, whatever the answer. */
export async function signOut() {
    const value = token;
    token = null;
    clearTimeout(expiry);
    if (value) {
        try {
            await send('auth/revoke', {
                method: 'POST',
                headers: { Authorization: `Bearer ${value}` },
                body: new URLSearchParams({ token: value }),
            });
        } catch {
            // the token is forgotten either way; the service drops it at its expiry
        }
    }
    onSignedOut('You have signed out.');
}

/** A call with the bearer token. Resolves to the parsed JSON body (or null); rejects with an ApiError. */
export async function call(method, path, body) {
    if (!token) {
        throw new ApiError(401, { error: 'unauthorized_client', error_description: 'Invalid token' });
    }
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    const init = { method, headers };
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    const response = await send(path, init);
    const json = await readJson(response);
    if (response.status === 401) {
        drop('Your sign-in is no longer valid (it expired or was revoked). Sign in again to go on.');
    }
    if (!response.ok) {
        throw new ApiError(response.status, json);
    }
    return json;
}

/** A call that needs no token, such as the service's OpenAPI document. */
export async function fetchPublic(path) {
    const response = await send(path, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
        throw new ApiError(response.status, await readJson(response));
    }
    return response.json();
}

async function send(path, init) {
    try {
        return await fetch(new URL(path, base), { ...init, credentials: 'omit', cache: 'no-store', redirect: 'error' });
    } catch {
        throw new ApiError(0, { error: 'network', error_description: null });
    }
}

async function readJson(response) {
    const type = response.headers.get('Content-Type') || '';
    if (!type.includes('json')) {
        return null;
    }
    try {
        return await response.json();
    } catch {
        return null;
    }
}
