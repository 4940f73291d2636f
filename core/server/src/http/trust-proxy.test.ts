import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { clientAddress, originalScheme, parseTrustProxy } from './trust-proxy.ts';

describe('QUADMETER_TRUST_PROXY parsing', () => {
  it('trusts nobody by default', () => {
    for (const v of [undefined, '', 'off']) expect(parseTrustProxy(v)('127.0.0.1')).toBe(false);
  });

  it('reads names, addresses and CIDR ranges, IPv4-mapped peers included', () => {
    const t = parseTrustProxy('loopback, 10.1.0.0/16, 2001:db8::/32, 192.0.2.9');
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.1.200.3', '2001:db8::5', '192.0.2.9'].map(t)).toEqual(
      Array(6).fill(true),
    );
    expect(['10.2.0.1', '192.0.2.10', '2001:db9::1', 'unknown'].map(t)).toEqual(Array(4).fill(false));
  });

  it('refuses entries it cannot read', () => {
    for (const v of ['10.0.0.0/33', 'proxy.local', '1.2.3.4/8/1', '::1/129'])
      expect(() => parseTrustProxy(v), v).toThrow();
  });
});

describe('client address and scheme', () => {
  const t = parseTrustProxy('loopback, 10.0.0.0/8');
  it('uses the socket peer when it is not trusted', () => {
    expect(clientAddress('203.0.113.1', '1.1.1.1', t)).toBe('203.0.113.1');
    expect(originalScheme('http', '203.0.113.1', 'https', t)).toBe('http');
  });
  it('walks X-Forwarded-For from the right past trusted proxies', () => {
    expect(clientAddress('127.0.0.1', '6.6.6.6, 198.51.100.4, 10.0.0.2', t)).toBe('198.51.100.4');
    expect(clientAddress('::ffff:127.0.0.1', '[2001:db8::7]:443', t)).toBe('2001:db8::7');
    expect(clientAddress('127.0.0.1', '198.51.100.4:5555', t)).toBe('198.51.100.4');
    expect(clientAddress('127.0.0.1', '10.0.0.3, 10.0.0.2', t)).toBe('10.0.0.3');
    expect(clientAddress('127.0.0.1', 'garbage, 10.0.0.2', t)).toBe('10.0.0.2');
    expect(clientAddress('127.0.0.1', undefined, t)).toBe('127.0.0.1');
  });
  it('takes the first X-Forwarded-Proto value from a trusted peer', () => {
    expect(originalScheme('http', '127.0.0.1', 'https, http', t)).toBe('https');
    expect(originalScheme('http', '127.0.0.1', 'gopher', t)).toBe('http');
    expect(originalScheme('https', '127.0.0.1', undefined, t)).toBe('https');
  });
});

describe('QUADMETER_TRUST_PROXY in the configuration', () => {
  it('defaults to trusting nobody and names a bad entry', () => {
    expect(loadConfig({}).QUADMETER_TRUST_PROXY).toBe('');
    expect(loadConfig({ QUADMETER_TRUST_PROXY: 'loopback,10.0.0.0/8' }).QUADMETER_TRUST_PROXY).toBe(
      'loopback,10.0.0.0/8',
    );
    expect(() => loadConfig({ QUADMETER_TRUST_PROXY: 'loopback, proxy.local' })).toThrow(
      /QUADMETER_TRUST_PROXY: .*proxy\.local/,
    );
  });
});
