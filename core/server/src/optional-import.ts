import { AppError } from '@quadmeter/sdk';

/**
 * Imports a package that a production install may leave out (the simulators are a development
 * dependency); when it is absent, fails with PACKAGE_MISSING saying what needs it.
 */
export async function importOptional<T>(specifier: string, neededFor: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const pkg = specifier.startsWith('@')
      ? specifier.split('/').slice(0, 2).join('/')
      : specifier.split('/')[0];
    if (err.code === 'ERR_MODULE_NOT_FOUND' && err.message?.includes(pkg)) {
      throw new AppError(
        'PACKAGE_MISSING',
        `${neededFor} needs the package ${pkg}, which is not installed (production installs omit it; run npm install with dev dependencies)`,
      );
    }
    throw e;
  }
}
