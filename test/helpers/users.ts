// Making people for tests: every test gets accounts of its own, so tests never share state.
import { randomUUID } from 'node:crypto';
import { call, stack, type Answer, type CallOptions } from './http';

export type Role = 'customer' | 'executor' | 'admin';

export interface Person {
  id: number;
  email: string;
  password: string;
  token: string;
  role: Role;
  get(path: string, opts?: CallOptions): Promise<Answer>;
  post(path: string, body?: unknown, opts?: CallOptions): Promise<Answer>;
  put(path: string, body?: unknown, opts?: CallOptions): Promise<Answer>;
  del(path: string, opts?: CallOptions): Promise<Answer>;
  /** The same account in another session and role. */
  as(role: Role): Promise<Person>;
}

export async function login(email: string, password: string, role: Role, id?: number): Promise<Person> {
  const res = await call('POST', '/api/sessions', { body: { email, password, role } });
  if (res.status !== 201) throw new Error(`login failed: ${res.status} ${res.text}`);
  const token: string = res.body.token;
  const person: Person = {
    id: id ?? res.body.account.id,
    email,
    password,
    token,
    role,
    get: (path, opts) => call('GET', path, { token, ...opts }),
    post: (path, body, opts) => call('POST', path, { token, body, ...opts }),
    put: (path, body, opts) => call('PUT', path, { token, body, ...opts }),
    del: (path, opts) => call('DELETE', path, { token, ...opts }),
    as: (other) => login(email, password, other, person.id),
  };
  return person;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}@test.local`;
}

export async function register(
  role: Role = 'customer',
  fields: Partial<Record<'fname' | 'sname' | 'phone', string>> = {},
): Promise<Person> {
  const email = uniqueEmail(role);
  const password = 'correct horse battery';
  const res = await call('POST', '/api/accounts', {
    body: { email, password, fname: fields.fname ?? 'Иван', sname: fields.sname ?? 'Петров', phone: fields.phone ?? '+79990001122' },
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return login(email, password, role, res.body.id);
}

export async function admin(): Promise<Person> {
  return login(stack.env.ADMIN_EMAIL!, stack.env.ADMIN_PASSWORD!, 'admin');
}
