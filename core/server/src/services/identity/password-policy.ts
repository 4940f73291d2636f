import { AppError } from '@quadmeter/sdk';
import { commonPasswords } from './common-passwords.ts';

export const MIN_PASSWORD_LENGTH = 10;

/**
 * The one password rule, applied by the services (HTTP, CLI and seeding alike): at least
 * MIN_PASSWORD_LENGTH characters and not one of the most common passwords.
 */
export function assertStrongPassword(password: string, field = 'password'): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new AppError(
      'AUTH_PASSWORD_WEAK',
      `The password must have at least ${MIN_PASSWORD_LENGTH} characters`,
      [{ path: field, message: `at least ${MIN_PASSWORD_LENGTH} characters`, reason: 'too-short' }],
    );
  }
  if (commonPasswords.has(password.toLowerCase())) {
    throw new AppError('AUTH_PASSWORD_WEAK', 'The password is one of the most common passwords', [
      { path: field, message: 'too common: choose another password', reason: 'common' },
    ]);
  }
}
