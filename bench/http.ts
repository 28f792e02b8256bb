// The bench's one JSON call: what both the load scenarios and the pipeline bench set up with.
export async function json(base: string, method: string, url: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(`${base}${url}`, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
