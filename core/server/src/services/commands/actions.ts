import type { ControlAction, ControlState } from '@quadmeter/sdk';

/** Actions that cut supply: refused on a keep-power (保电) meter unless overridden. */
export const CUT_ACTIONS: ReadonlySet<ControlAction> = new Set(['valve-close', 'relay-trip']);

/** Each action's opposite: a newer command supersedes a queued opposite one. */
export const OPPOSITE: Partial<Record<ControlAction, ControlAction>> = {
  'valve-open': 'valve-close',
  'valve-close': 'valve-open',
  'relay-trip': 'relay-close',
  'relay-close': 'relay-trip',
  'keep-power': 'keep-power-clear',
  'keep-power-clear': 'keep-power',
  'alarm-on': 'alarm-off',
  'alarm-off': 'alarm-on',
};

/** The state the meter reports once the action took effect, where the meter can report it. */
export const EXPECTED: Partial<Record<ControlAction, ControlState>> = {
  'valve-open': { valve: 'open' },
  'valve-close': { valve: 'closed' },
  'relay-trip': { relay: 'open' },
  'relay-close': { relay: 'closed' },
};

/** Which meters take an action, by the meter's `control` (none, valve, relay). */
export function actionFits(action: ControlAction, control: string): boolean {
  if (action.startsWith('valve-')) return control === 'valve';
  if (action.startsWith('relay-') || action === 'prepaid-params') return control === 'relay';
  return true;
}

/** Does a reported state show the action's effect? undefined: the state says nothing about it. */
export function stateMatches(action: ControlAction, state: ControlState | undefined): boolean | undefined {
  const want = EXPECTED[action];
  if (!want || !state) return undefined;
  if (want.valve) return state.valve === undefined ? undefined : state.valve === want.valve;
  if (want.relay) return state.relay === undefined ? undefined : state.relay === want.relay;
  return undefined;
}
