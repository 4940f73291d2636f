import { hash, verify } from '@node-rs/argon2';

// argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane).
const options = {
  algorithm: 2 /* Algorithm.Argon2id */ as const,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export async function hashPassword(password: string): Promise<string> {
  return await hash(password, options);
}

/** A fixed hash verified when the account does not exist, so timing does not reveal it. */
let decoy: string | undefined;

export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (!stored) {
    decoy ??= await hashPassword('decoy-password-for-unknown-accounts');
    await verify(decoy, password).catch(() => false);
    return false;
  }
  return await verify(stored, password).catch(() => false);
}
