// Slow salted password hashes (bcrypt). The password is pre-hashed with SHA-256 because bcrypt
// reads only 72 bytes and the contract allows 128 characters.
import bcrypt from 'bcryptjs';
import { createHash } from 'node:crypto';
import { config } from '../config';

const prehash = (password: string) => createHash('sha256').update(password, 'utf8').digest('base64');

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(prehash(password), config.BCRYPT_ROUNDS);
}

/** A hash of nothing, compared when the account does not exist so that both failures take as long. */
let decoy: Promise<string> | undefined;

export async function passwordMatches(password: string, hash: string | undefined): Promise<boolean> {
  decoy ??= hashPassword('decoy password for timing');
  const matches = await bcrypt.compare(prehash(password), hash ?? (await decoy));
  return matches && hash !== undefined;
}
