import {
  type BatchProgress,
  type BatchStatus,
  CONTROL_ACTIONS,
  type Command,
  type ControlAction,
} from '../../api/control.ts';

/** Actions that cut supply: refused on a keep-power (保电) meter unless overridden. */
export const CUT_ACTIONS: ReadonlySet<ControlAction> = new Set(['valve-close', 'relay-trip']);

/** Which meters take an action, by the meter's `control` (as the server decides it). */
export function actionFits(action: ControlAction, control: string): boolean {
  if (action.startsWith('valve-')) return control === 'valve';
  if (action.startsWith('relay-') || action === 'prepaid-params') return control === 'relay';
  return true;
}

/** The actions a meter with this `control` takes, in menu order. */
export const actionsFor = (control: string): ControlAction[] =>
  CONTROL_ACTIONS.filter((a) => actionFits(a, control));

/** A command still waiting for its outcome. */
export const isOpen = (c: Pick<Command, 'status'>) => c.status === 'queued' || c.status === 'sent';

/** The i18n key of a command's status: a confirmed command that could not be read back says so. */
export const statusKey = (c: Pick<Command, 'status' | 'verified'>) =>
  c.status === 'confirmed' && c.verified === false
    ? 'control.statuses.confirmedUnverified'
    : `control.statuses.${c.status}`;

export const statusTag = (c: Pick<Command, 'status' | 'verified'>) => {
  switch (c.status) {
    case 'confirmed':
      return c.verified === false ? 'warning' : 'success';
    case 'failed':
    case 'expired':
      return 'danger';
    case 'sent':
      return 'primary';
    default:
      return 'info';
  }
};

export const batchTag = (s: BatchStatus) =>
  s === 'released' ? 'success' : s === 'pending_approval' ? 'warning' : s === 'rejected' ? 'danger' : 'info';

/** How many of a batch's commands have ended, of all. */
export function finished(p: BatchProgress): number {
  return (p.confirmed ?? 0) + (p.failed ?? 0) + (p.expired ?? 0) + (p.cancelled ?? 0);
}

/** Commands of a batch still queued or sent. */
export const inFlight = (p: BatchProgress) => (p.queued ?? 0) + (p.sent ?? 0);

/** A released batch whose commands are still moving. */
export const batchOpen = (b: { status: BatchStatus; progress: BatchProgress }) =>
  b.status === 'released' && inFlight(b.progress) > 0;
