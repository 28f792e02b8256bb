// Hash routing (`#/tasks/12?x=1`), so the site works from S3/CloudFront without server routes.
import type { Role } from './api/types';
import type { StoredSession } from './session';

export interface Place {
  /** Path without the leading slash: "tasks/12". */
  path: string;
  query: URLSearchParams;
}

export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Aborted when the user leaves the page: pass it to requests and stop timers on it. */
  signal: AbortSignal;
  session: StoredSession | null;
}

type PageRender = (ctx: PageContext) => Node | Promise<Node>;
interface PageModule {
  render: PageRender;
}

/** `public`: anyone; `session`: any logged-in role; a list: only those roles. */
type Access = 'public' | 'session' | readonly Role[];

export interface RouteDef {
  pattern: string;
  access: Access;
  load: () => Promise<PageModule>;
}

export function currentPlace(): Place {
  const raw = location.hash.replace(/^#\/?/, '');
  const at = raw.indexOf('?');
  const path = (at === -1 ? raw : raw.slice(0, at)).replace(/\/+$/, '');
  return { path, query: new URLSearchParams(at === -1 ? '' : raw.slice(at + 1)) };
}

/** The current route as an in-app path ("/tasks/12?x=1"), for returning after log in. */
export function currentTarget(): string {
  const place = currentPlace();
  const search = place.query.toString();
  return `/${place.path}${search ? `?${search}` : ''}`;
}

/** An href for a route: href('/tasks/12'), href('/feed', { category: '3' }). */
export function href(path: string, query: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return `#${path}${search ? `?${search}` : ''}`;
}

let rerender: () => void = () => undefined;

export function onNavigateSame(handler: () => void): void {
  rerender = handler;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = path.startsWith('#') ? path : `#${path}`;
  if (location.hash === target) {
    rerender();
  } else if (options.replace) {
    location.replace(target);
  } else {
    location.hash = target;
  }
}

/** Only in-app paths are followed after log in, never another origin. */
export function safeTarget(value: string | null): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//')) return null;
  if (value.startsWith('/login') || value.startsWith('/register')) return null;
  return value;
}

export function loginHref(target?: string): string {
  return href('/login', { next: target ?? null });
}

export function matchRoute(routes: readonly RouteDef[], path: string): { route: RouteDef; params: Record<string, string> } | null {
  const parts = path.split('/');
  for (const route of routes) {
    const pattern = route.pattern.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((segment, i) => {
      const part = parts[i] ?? '';
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = decodeURIComponent(part);
        return part !== '';
      }
      return segment === part;
    });
    if (ok) return { route, params };
  }
  return null;
}
