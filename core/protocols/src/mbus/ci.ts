/** CI-field values (EN 13757-2 / EN 13757-3 and EN 13757-7 table of CI fields), the common ones. */
const CI_NAMES = new Map<number, string>([
  [0x50, 'application reset'],
  [0x51, 'data send'],
  [0x52, 'select slave'],
  [0x53, 'application reset or select'],
  [0x54, 'request selected application'],
  [0x55, 'request selected application with long header'],
  [0x5a, 'data send with short header'],
  [0x5b, 'data send with long header'],
  [0x5c, 'synchronize action'],
  [0x60, 'COSEM data send with long header'],
  [0x61, 'COSEM data send with short header'],
  [0x64, 'OBIS data send with long header'],
  [0x65, 'OBIS data send with short header'],
  [0x6c, 'time sync (absolute)'],
  [0x6d, 'time sync (relative)'],
  [0x6e, 'application error with short header'],
  [0x6f, 'application error with long header'],
  [0x70, 'application error'],
  [0x71, 'alarm status'],
  [0x72, 'variable data respond'],
  [0x73, 'fixed data respond'],
  [0x74, 'alarm with short header'],
  [0x75, 'alarm with long header'],
  [0x76, 'variable data respond (MSB first)'],
  [0x77, 'fixed data respond (MSB first)'],
  [0x78, 'variable data respond without header'],
  [0x7a, 'variable data respond with short header'],
  [0x7c, 'COSEM data respond with long header'],
  [0x7d, 'COSEM data respond with short header'],
  [0x7e, 'OBIS data respond with long header'],
  [0x7f, 'OBIS data respond with short header'],
  [0x80, 'transport layer to device with long header'],
  [0x8a, 'transport layer from device with short header'],
  [0x8b, 'transport layer from device with long header'],
  [0xb1, 'request readout of complete RAM'],
  [0xb2, 'send user data (RAM write)'],
  [0xb3, 'initialize test calibration mode'],
  [0xb4, 'EEPROM read'],
  [0xb6, 'start software test'],
  [0xb8, 'set baud rate 300'],
  [0xb9, 'set baud rate 600'],
  [0xba, 'set baud rate 1200'],
  [0xbb, 'set baud rate 2400'],
  [0xbc, 'set baud rate 4800'],
  [0xbd, 'set baud rate 9600'],
  [0xbe, 'set baud rate 19200'],
  [0xbf, 'set baud rate 38400'],
]);

export const BAUD_RATES = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400] as const;

export function ciName(ci: number): string {
  if (ci >= 0xa0 && ci <= 0xb7 && !CI_NAMES.get(ci)) return 'manufacturer specific';
  return CI_NAMES.get(ci) ?? `unknown CI ${ci.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Application error codes sent with CI 70 (EN 13757-3 table "application errors"). */
const APPLICATION_ERRORS = new Map<number, string>([
  [0x00, 'unspecified error'],
  [0x01, 'unimplemented CI-field'],
  [0x02, 'buffer too long, truncated'],
  [0x03, 'too many records'],
  [0x04, 'premature end of record'],
  [0x05, 'more than 10 DIFEs'],
  [0x06, 'more than 10 VIFEs'],
  [0x07, 'reserved'],
  [0x08, 'application busy'],
  [0x09, 'too many readouts'],
]);

export function applicationErrorName(code: number | undefined): string {
  if (code === undefined) return 'unspecified error';
  return (
    APPLICATION_ERRORS.get(code) ?? `application error 0x${code.toString(16).toUpperCase().padStart(2, '0')}`
  );
}
