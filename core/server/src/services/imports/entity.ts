import type { Tx } from '../../db/client.ts';
import type { customFieldEntities } from '../../db/schema/index.ts';
import type { MeterKinds } from '../archives/meter-kinds.ts';
import type { Actor } from '../identity/actor.ts';
import type { CustomField } from './custom-fields.ts';
import type { Parsed } from './parse.ts';

export type Lang = 'zh-CN' | 'en';
export type Outcome = 'created' | 'updated' | 'unchanged';

export interface RowError {
  column?: string;
  code: string;
  message: string;
}

/** A built-in column of an entity's sheet. */
export interface ColumnDef {
  key: string;
  header: Record<Lang, string>;
  required?: boolean;
  /** longest text accepted before parsing */
  max: number;
  /** parses a non-empty cell */
  parse: (s: string) => Parsed<unknown>;
  /** an example value for the template */
  example?: string;
}

/** One data row after the cells were parsed: only the columns the file has are present. */
export interface ParsedRow {
  row: number;
  /** the original cells, in file order */
  cells: string[];
  /** parsed values of non-empty cells (empty cells are present with `null`) */
  values: Map<string, unknown>;
  /** custom field values, same convention */
  custom: Map<string, unknown>;
}

export interface CheckContext {
  actor: Actor;
  today: string;
  /** the platform's time zone (QUADMETER_TIMEZONE): a date in a cell is a local day there */
  timeZone: string;
  customFields: CustomField[];
  /** the request that asked for the apply, for the per-row audit entries */
  origin?: { ip: string; requestId: string };
  /** the installed meter-type plugins (resolved when an entity asks for them) */
  meterKinds?: () => MeterKinds;
}

export type Checked<R> = { outcome: Outcome; record: R } | { errors: RowError[] };

/**
 * What the engine needs to import one entity: its columns, a loader that fetches what the rows
 * refer to (in one or a few queries for the whole file), a per-row check and a bulk apply.
 */
export interface EntityDef<R = unknown, L = unknown> {
  name: string;
  customFieldEntity: (typeof customFieldEntities)[number];
  /** the permission writing this entity takes, held besides `archives.import` (upload, apply, jobs) */
  permission?: string;
  /** the column that identifies a row (upsert key), unique within the file */
  keyColumn: string;
  columns: ColumnDef[];
  load(tx: Tx, rows: ParsedRow[], ctx: CheckContext): Promise<L>;
  /** `seen` lets the check find duplicates of secondary keys within the file */
  check(row: ParsedRow, loaded: L, ctx: CheckContext, seen: Map<string, number>): Checked<R>;
  apply(tx: Tx, records: R[], ctx: CheckContext): Promise<void>;
}
