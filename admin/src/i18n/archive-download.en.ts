import type zhCN from './archive-download.zh-CN.ts';

// English messages of the concentrator address download (archive diff); every key of the zh-CN file.
export default {
  archiveDownload: {
    open: 'Address download',
    title: 'Address download: {name}',
    hint: 'Reads the meter table back from the concentrator (AFN 0A F10) and compares it with the archive point by point; one click downloads the missing and differing meters and removes the points only the concentrator holds.',
    read: 'Read back',
    readAt: 'Read at {at}',
    notRead: 'The concentrator’s table has not been read yet',
    point: 'Point',
    status: 'Result',
    statuses: { match: 'Match', missing: 'Missing', extra: 'Extra', mismatch: 'Differs' },
    archive: 'Archive',
    device: 'Concentrator',
    assetNo: 'Asset no.',
    address: 'Address',
    port: 'Port',
    protocol: 'Protocol',
    collector: 'Collector',
    fields: 'Differences',
    fieldNames: {
      address: 'address',
      port: 'port',
      protocol: 'protocol',
      collector: 'collector',
      duplicate: 'held twice',
    },
    removeExtra: 'Also remove the points only the concentrator holds',
    fix: 'Fix all',
    fixConfirm: 'Download {load} point(s) to the concentrator{remove}. Continue?',
    fixConfirmRemove: ' and remove {n} extra point(s)',
    nothingToFix: 'The concentrator matches the archive; nothing to fix',
    fixed: 'Downloaded {accepted} point(s), removed {removed}; {rejected} failed',
  },
} satisfies typeof zhCN;
