// The role catalogue, as the service configures it.

import { fetchPublic } from './api.js';

let roles = null;

export async function catalogue(fallback = []) {
    if (roles === null) {
        try {
            roles = (await fetchPublic('console/roles.json')).roles;
        } catch {
            return fallback;
        }
    }
    return roles;
}
