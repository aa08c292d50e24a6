// Builds elements without HTML strings: text is always text, so nothing the API returns can become markup.

let counter = 0;

/** A unique id for label and description links. */
export function uid(prefix) {
    counter += 1;
    return `${prefix}-${counter}`;
}

/**
 * h('button', { type: 'button', onclick: fn }, 'Revoke'): attributes whose name starts with "on" become event
 * listeners, true/false toggle boolean attributes, null and undefined are left out; children are nodes or text.
 */
export function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (value === null || value === undefined || value === false) {
            continue;
        }
        if (name.startsWith('on') && typeof value === 'function') {
            element.addEventListener(name.slice(2), value);
        } else if (name === 'class') {
            element.className = value;
        } else if (name === 'value') {
            element.value = value;
        } else if (value === true) {
            element.setAttribute(name, '');
        } else {
            element.setAttribute(name, String(value));
        }
    }
    append(element, children);
    return element;
}

function append(element, children) {
    for (const child of children.flat(Infinity)) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
}

/** Replaces an element's content. */
export function fill(element, ...children) {
    element.replaceChildren();
    append(element, children);
    return element;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** An instant from the API as a <time> a person reads in their own time zone, or a dash. */
export function when(instant, empty = '—', format = dateTime) {
    if (!instant) {
        return empty;
    }
    const date = new Date(instant);
    return Number.isNaN(date.getTime()) ? instant : h('time', { datetime: instant, title: dateTime.format(date) }, format.format(date));
}

/** Only the day of an instant, for columns where the time of day matters little. */
export function day(instant) {
    return when(instant, '—', dateOnly);
}
