// What this service offers, read from its own OpenAPI document, so that the console shows only controls that work.

import { fetchPublic } from './api.js';

let paths = null;

async function load() {
    if (paths === null) {
        try {
            const document = await fetchPublic('openapi.json');
            paths = new Set(Object.keys(document.paths || {}).map((path) => path.replace(/\/+$/, '')));
        } catch {
            paths = undefined; // unknown: show everything, and let each call say what it can't do
        }
    }
    return paths;
}

/** Whether the service has an operation on this path (OpenAPI template form, like /apiops/tokens). */
export async function offers(path) {
    const known = await load();
    return known === undefined || known.has(path.replace(/\/+$/, ''));
}
