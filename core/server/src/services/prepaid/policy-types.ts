/** A prepaid policy as it applies to one account (every field resolved). Money in integer fen. */
export interface PrepaidPolicy {
  /** balance below this: first low-balance notice */
  alarm1Fen: number;
  /** balance below this: second low-balance notice */
  alarm2Fen: number;
  /** credit allowed below zero; at or below −limit the account is exhausted and a cut is pending */
  overdraftLimitFen: number;
  /** minutes between the cut warning and the cut */
  cutDelayMinutes: number;
  /** after a cut, the balance must reach this before supply is restored */
  reconnectThresholdFen: number;
  /** a counter top-up that would lift the balance above this is refused; null: no limit */
  hoardingLimitFen: number | null;
  nightProtect: boolean;
  /** 'HH:MM' in the tenant's zone; start > end spans midnight */
  nightStart: string;
  nightEnd: string;
  weekendProtect: boolean;
  holidayProtect: boolean;
}

/** A stored level: null inherits from the level above. */
export type PolicyLevel = { [K in keyof PrepaidPolicy]: PrepaidPolicy[K] | null };

/** What applies when nobody set anything: 30 元 and 10 元 warnings, cut at zero after 30 minutes. */
export const BUILTIN_POLICY: PrepaidPolicy = {
  alarm1Fen: 3000,
  alarm2Fen: 1000,
  overdraftLimitFen: 0,
  cutDelayMinutes: 30,
  reconnectThresholdFen: 0,
  hoardingLimitFen: null,
  nightProtect: true,
  nightStart: '22:00',
  nightEnd: '08:00',
  weekendProtect: false,
  holidayProtect: true,
};

export const POLICY_FIELDS = Object.keys(BUILTIN_POLICY) as (keyof PrepaidPolicy)[];

/** Layers the levels over the built-in policy, the most specific last. */
export function resolvePolicy(levels: readonly (PolicyLevel | null | undefined)[]): PrepaidPolicy {
  const out: Record<string, unknown> = { ...BUILTIN_POLICY };
  for (const level of levels) {
    if (!level) continue;
    for (const k of POLICY_FIELDS) if (level[k] !== null && level[k] !== undefined) out[k] = level[k];
  }
  return out as unknown as PrepaidPolicy;
}

export const PREPAID_STATES = [
  'normal',
  'alarm1',
  'alarm2',
  'overdraft',
  'cut_pending',
  'cut',
  'reconnect_pending',
] as const;
export type PrepaidState = (typeof PREPAID_STATES)[number];
