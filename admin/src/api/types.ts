// Request and response types of the API, taken from the generated OpenAPI types (openapi.ts).
// Paths are written as the client calls them, without the `/api/v1` prefix.
import type { components, paths } from './openapi.ts';

/** Every path of the API as the client writes it: a path the server does not have fails to compile. */
export type ApiPath = keyof paths extends infer K ? (K extends `/api/v1${infer S}` ? S : never) : never;
type Full<P extends ApiPath> = `/api/v1${P}` & keyof paths;
type Op<P extends ApiPath, M extends string> = M extends keyof paths[Full<P>]
  ? NonNullable<paths[Full<P>][M]>
  : never;

/** A named schema of the document (`components.schemas`). */
export type Schema<K extends keyof components['schemas']> = components['schemas'][K];

/** The JSON body an operation takes. */
export type BodyOf<P extends ApiPath, M extends 'post' | 'put' | 'patch'> =
  Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The query parameters an operation takes. */
export type QueryOf<P extends ApiPath, M extends string = 'get'> =
  Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : undefined;

/** What a successful call answers (200 or 201 JSON; `undefined` for 204). */
export type ReplyOf<P extends ApiPath, M extends string = 'get'> =
  Op<P, M> extends { responses: infer R }
    ? R extends { 200: infer A }
      ? JsonOf<A>
      : R extends { 201: infer A }
        ? JsonOf<A>
        : undefined
    : never;
