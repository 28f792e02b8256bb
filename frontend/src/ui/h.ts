// The only way the site builds DOM: elements and text nodes, never HTML strings,
// so text that came from users can never become markup.

// A method signature makes the parameter bivariant, so `(e: SubmitEvent) => void` fits.
type Handler = { bivarianceHack(event: Event): void }['bivarianceHack'];
type AttrValue = string | number | boolean | null | undefined | Handler;
export type Attrs = Record<string, AttrValue>;
export type Child = Node | string | number | null | undefined | false | readonly Child[];

const SVG_NS = 'http://www.w3.org/2000/svg';
// Set as properties too: their attribute only holds the initial value.
const PROPERTIES = new Set(['value', 'checked']);

function applyAttrs(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      if (!name.startsWith('on')) throw new Error(`handler for a non-event attribute ${name}`);
      el.addEventListener(name.slice(2).toLowerCase(), value);
      continue;
    }
    if (name.startsWith('on')) throw new Error(`inline handler ${name} refused`);
    if (PROPERTIES.has(name)) {
      // The attribute is the default a form reset returns to; the property is the live state.
      if (value !== '' || name !== 'value') el.setAttribute(name, value === true ? '' : String(value));
      Reflect.set(el, name, name === 'checked' ? Boolean(value) : String(value));
      continue;
    }
    el.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (child instanceof Node) parent.appendChild(child);
    else if (typeof child === 'string' || typeof child === 'number') parent.appendChild(document.createTextNode(String(child)));
    else append(parent, child);
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) applyAttrs(el, attrs);
  append(el, children);
  return el;
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  if (attrs) applyAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Replaces everything inside `parent` with `children`. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let nextId = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
