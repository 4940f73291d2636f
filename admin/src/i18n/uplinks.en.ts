import type zhCN from './uplinks.zh-CN.ts';

// English messages of the unmatched-uplinks inbox; every key of the zh-CN file.
export default {
  uplinks: {
    title: 'Unmatched uplinks',
    hint: 'Uplinks a push transport received for a device no meter names. Assigned to a meter, the meter takes the device’s route and the readings are stored; dismissed ones are kept.',
    status: { pending: 'Pending', assigned: 'Assigned', dismissed: 'Dismissed' },
    via: 'Channel',
    deviceId: 'Device',
    platform: 'Platform',
    reason: 'Reason',
    reasons: { NO_ROUTE: 'No meter', AMBIGUOUS: 'Several meters' },
    registers: 'Values',
    measuredAt: 'Measured',
    receivedAt: 'Received',
    seen: 'Times',
    meter: 'Meter',
    result: 'Result',
    assign: 'Assign',
    dismiss: 'Dismiss',
    assignTitle: 'Assign to a meter',
    meterPlaceholder: 'Search meters by asset number or address',
    assigned: '{count} uplink(s) assigned; reading: {result}',
    dismissConfirm: 'Dismiss this uplink? It is kept but not stored as a reading.',
    dismissed: 'Dismissed',
  },
} satisfies typeof zhCN;
