export { PLAN_KINDS, type PlanKind, parseVersionBody, planKinds } from './body.ts';
export { cachedVersionCount, combineVersions, type VersionInForce, versionsInForce } from './in-force.ts';
export { createPlan, getPlan, listPlans, type Plan, type PlanStatus, updatePlan } from './plans.ts';
export {
  copyVersion,
  createDraft,
  deleteDraft,
  getVersion,
  listVersions,
  publishVersion,
  updateDraft,
  type Version,
} from './versions.ts';
export { type WhatIf, type WhatIfRow, whatIf } from './what-if.ts';
export { WHAT_IF_MAX_ACCOUNTS, type WhatIfSelection } from './what-if-usage.ts';
