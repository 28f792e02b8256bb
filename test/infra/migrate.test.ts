import { describe, expect, it } from 'vitest';
import { query } from '../helpers/db';
import { invoke } from '../helpers/invoke';

describe('the migrate function', () => {
  it('finds every migration applied by the launcher and applies nothing twice', async () => {
    const result = await invoke('migrate');
    expect(result.applied).toEqual([]);
    const rows = await query('primary', 'SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toContain('0001_accounts_and_sessions.sql');
  });
});
