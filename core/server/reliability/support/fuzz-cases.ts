import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

/** The parts of an OpenAPI 3.1 document the fuzz reads. */
export type Resolve = (s: Schema | undefined) => Schema;

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
}
export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
  /** the body's media type: application/json or multipart/form-data (imports) */
  media?: string;
}
export interface FuzzCase {
  what: string;
  method: string;
  url: string;
  /** raw body text (already malformed, or JSON) */
  body?: string;
  contentType?: string;
}

/** Every operation of the document, its schemas' $refs resolved one level at a time on use. */
interface DocOperation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export function operations(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      const media = Object.keys(content)[0];
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: [...((item.parameters as Parameter[] | undefined) ?? []), ...(op.parameters ?? [])],
        ...(media && { media, body: content[media].schema ?? {} }),
      });
    }
  return out;
}

export type OpenApiDoc = {
  paths: Record<string, Record<string, DocOperation>>;
  components?: { schemas?: Record<string, Schema> };
};

export function resolver(doc: OpenApiDoc): Resolve {
  return (s: Schema | undefined): Schema => {
    let cur = s ?? {};
    for (let i = 0; i < 10 && cur.$ref; i++)
      cur = doc.components?.schemas?.[cur.$ref.replace('#/components/schemas/', '')] ?? {};
    if (cur.allOf?.length === 1) return cur.allOf[0].$ref ? resolver(doc)(cur.allOf[0]) : cur.allOf[0];
    return cur;
  };
}

/** The JSON types a schema accepts; undefined when the fuzz cannot tell (then it leaves it alone). */
function jsonTypes(s: Schema, resolve: Resolve): Set<string> | undefined {
  const r = resolve(s);
  if (r.type) return new Set(Array.isArray(r.type) ? r.type : [r.type]);
  if (r.enum) return new Set(r.enum.map((v) => (v === null ? 'null' : typeof v)));
  const alts = r.anyOf ?? r.oneOf;
  if (alts) {
    const all = new Set<string>();
    for (const a of alts) {
      const t = jsonTypes(a, resolve);
      if (!t) return undefined;
      for (const x of t) all.add(x);
    }
    return all;
  }
  return undefined;
}

const SAMPLES: [string, unknown][] = [
  ['number', 123_456_789],
  ['string', 'not-what-you-expect'],
  ['boolean', true],
  ['object', { nested: { deep: [1] } }],
  ['array', ['x', 2, null]],
];
const accepts = (types: Set<string>, kind: string) =>
  types.has(kind) || (kind === 'number' && types.has('integer'));

/** Values the property's schema certainly refuses: wrong types, NUL in text, out of bounds. */
function badValues(s: Schema, resolve: Resolve): unknown[] {
  const r = resolve(s);
  const types = jsonTypes(r, resolve);
  if (!types) return [];
  const out: unknown[] = SAMPLES.filter(([k]) => !accepts(types, k)).map(([, v]) => v);
  if (types.has('string') && !r.enum) out.push('abc\u0000def');
  if (types.has('string') && r.maxLength !== undefined) out.push('长'.repeat(r.maxLength + 1));
  if (types.has('string') && r.enum) out.push('no-such-value');
  if (types.has('integer') && !types.has('number')) out.push(1.5, 2 ** 64, -(2 ** 64));
  if (r.maximum !== undefined) out.push(r.maximum + 1e12);
  if (r.minimum !== undefined) out.push(r.minimum - 1e12);
  return out;
}

const badIds = fc.constantFrom(
  'not-a-uuid',
  '%00',
  'x'.repeat(3000),
  "1'%20or%20'1'='1",
  '-1',
  '99999999999999999999999999',
  '00000000-0000-0000-0000-00000000000g',
);

function fillPath(op: Operation, bad?: { name: string; value: string }): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    bad?.name === name ? bad.value : randomUUID(),
  );
}

/** Bad query values per constrained parameter (unconstrained text gets a NUL). */
function badQuery(p: Parameter, resolve: Resolve): string[] {
  const s = resolve(p.schema);
  const types = jsonTypes(s, resolve) ?? new Set<string>();
  const out: string[] = ['%00'];
  if (types.has('integer') || types.has('number')) out.push('abc', '1e999', '-99999999999999999999999');
  if (s.enum) out.push('no-such-value');
  if (s.format === 'uuid') out.push('not-a-uuid');
  if (types.has('boolean')) out.push('maybe');
  if (s.format === 'date' || s.format === 'date-time') out.push('2026-13-45');
  if (s.maxLength !== undefined) out.push('x'.repeat(s.maxLength + 1));
  return out;
}

/** An arbitrary malformed request for `op`; undefined when the operation takes no input to spoil. */
export function caseArbitrary(
  op: Operation,
  resolve: (s: Schema | undefined) => Schema,
): fc.Arbitrary<FuzzCase> | undefined {
  const arbs: fc.Arbitrary<FuzzCase>[] = [];
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const base = (url: string, what: string, body?: string, contentType?: string): FuzzCase => ({
    what,
    method: op.method,
    url,
    ...(body !== undefined && { body }),
    ...(contentType && { contentType }),
  });
  const validishBody = op.body && op.media === 'application/json' ? '{}' : undefined;
  for (const p of pathParams)
    arbs.push(
      badIds.map((value) =>
        base(fillPath(op, { name: p.name, value }), `bad path ${p.name}=${value.slice(0, 40)}`, validishBody),
      ),
    );
  for (const p of op.parameters.filter((x) => x.in === 'query')) {
    const values = badQuery(p, resolve);
    arbs.push(
      fc
        .constantFrom(...values)
        .map((v) =>
          base(
            `${fillPath(op)}?${encodeURIComponent(p.name)}=${v.startsWith('%') ? v : encodeURIComponent(v)}`,
            `bad query ${p.name}=${v.slice(0, 40)}`,
            validishBody,
          ),
        ),
    );
  }
  if (op.body && op.media === 'application/json') {
    const url = fillPath(op);
    const body = resolve(op.body);
    const props = Object.entries(body.properties ?? {});
    // not JSON at all, empty, or JSON of another shape than the object asked for
    arbs.push(
      fc
        .oneof(
          fc.string({ maxLength: 40 }).map((s) => `{"${s}`),
          fc.constant(''),
          fc.constant('{"a": 1,}'),
          fc.constant('\u0000'),
          fc
            .oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer()))
            .map((v) => JSON.stringify(v)),
        )
        .map((text) => base(url, `body ${JSON.stringify(text).slice(0, 40)}`, text)),
    );
    // a body larger than the limit (the fuzz runs the platform with QUADMETER_BODY_LIMIT_KB=64)
    arbs.push(fc.constant(base(url, 'body of 100 KiB', JSON.stringify({ x: 'x'.repeat(100 << 10) }))));
    const spoilable = props
      .map(([k, s]) => [k, badValues(s, resolve)] as const)
      .filter(([, bad]) => bad.length > 0);
    if (spoilable.length > 0) {
      // one property certainly wrong, the others anything (fast-check's JSON values), maybe an unknown field
      arbs.push(
        fc
          .record({
            spoil: fc.constantFrom(...spoilable),
            pick: fc.nat(),
            others: fc.dictionary(fc.constantFrom(...props.map(([k]) => k)), fc.jsonValue({ maxDepth: 2 }), {
              maxKeys: 4,
            }),
            unknown: fc.boolean(),
          })
          .map(({ spoil, pick, others, unknown }) => {
            const [key, bad] = spoil;
            const value = bad[pick % bad.length];
            const obj: Record<string, unknown> = { ...others, [key]: value };
            if (unknown) obj.__fuzz_unknown = '\u0000';
            return base(url, `field ${key}=${JSON.stringify(value).slice(0, 40)}`, JSON.stringify(obj));
          }),
      );
    }
    if (body.additionalProperties === false)
      arbs.push(
        fc
          .string({ minLength: 1, maxLength: 20 })
          .filter((k) => !(k in (body.properties ?? {})))
          .map((k) => base(url, `unknown field ${k}`, JSON.stringify({ [k]: 1 }))),
      );
  }
  if (op.body && op.media === 'multipart/form-data') {
    const url = fillPath(op);
    arbs.push(
      fc
        .constantFrom('', 'not multipart', '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n\u0000')
        .map((text) =>
          base(url, `multipart ${JSON.stringify(text).slice(0, 30)}`, text, 'multipart/form-data'),
        ),
    );
  }
  return arbs.length ? fc.oneof(...arbs) : undefined;
}
