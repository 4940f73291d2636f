/**
 * Major version of the plugin API this SDK implements. A plugin states the major it was written
 * against in `apiVersion`; the registry refuses a plugin that targets a newer major.
 */
export const SDK_API_VERSION = 1;

/** Oldest API major this SDK still runs. */
export const SDK_MIN_API_VERSION = 1;
