/**
 * Major version of the plugin API this SDK implements. A plugin states the major it was written
 * against in `apiVersion`; the registry refuses a plugin that targets a newer major.
 */
export const SDK_API_VERSION = 1;

/** Oldest API major this SDK still runs. */
export const SDK_MIN_API_VERSION = 1;

/** The compatibility rule, as shown to integrators and in the error a refused plugin gets. */
export const API_VERSION_RULE =
  `a plugin runs when its apiVersion is an integer from ${SDK_MIN_API_VERSION} to ${SDK_API_VERSION}: ` +
  'a plugin written for an older API major the SDK still supports keeps running; one written for a ' +
  'newer major (or an API major the SDK has dropped) is refused';

/** Why a plugin's `apiVersion` cannot run on this SDK; undefined when it can. */
export function apiVersionProblem(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'number' || !Number.isInteger(apiVersion))
    return `apiVersion must be an integer API major (this SDK: ${SDK_API_VERSION})`;
  if (apiVersion > SDK_API_VERSION)
    return `apiVersion ${apiVersion} targets a newer plugin API than this SDK (${SDK_API_VERSION})`;
  if (apiVersion < SDK_MIN_API_VERSION)
    return `apiVersion ${apiVersion} is older than the oldest API this SDK runs (${SDK_MIN_API_VERSION})`;
  return undefined;
}
