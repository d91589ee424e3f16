import { describe, expect, it } from 'vitest';
import { blockedAddressReason, staticUrlProblem, webhookUrlProblem } from './ssrf';

describe('blockedAddressReason (addresses a resolver may return)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.127.255.255', 'carrierGradeNat'],
    ['169.254.169.254', 'linkLocal'],
    ['0.1.2.3', 'unspecified'],
    ['239.255.255.250', 'multicast'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fdff:ffff::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'linkLocal'],
    ['64:ff9b:1::1', 'rfc6052'],
    ['2002:a00:1::', '6to4'],
    ['2001::1', 'teredo'],
    ['2001:db8::1', 'reserved'],
  ])('refuses %s (%s)', (address, range) => {
    expect(blockedAddressReason(address)).toContain(`is a ${range} address`);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '100.63.255.255',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('allows the public address %s', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });

  it('refuses what is not an address', () => {
    expect(blockedAddressReason('example.com')).toBeDefined();
  });
});

describe('staticUrlProblem', () => {
  it('with private webhooks allowed, takes http and loopback but still refuses other schemes and credentials', () => {
    expect(staticUrlProblem('http://127.0.0.1:8080/hook', true)).toBeUndefined();
    expect(staticUrlProblem('http://localhost/hook', true)).toBeUndefined();
    expect(staticUrlProblem('file:///etc/passwd', true)).toBe('must use http or https');
    expect(staticUrlProblem('http://u:p@127.0.0.1/', true)).toBe('must not contain credentials');
  });

  it('names the address an obscure IPv4 form stands for', () => {
    expect(staticUrlProblem('https://0x7f000001/', false)).toBe(
      'must be a public address (127.0.0.1 is a loopback address)',
    );
  });
});

describe('webhookUrlProblem with a resolver', () => {
  const resolver = (answers: Record<string, string[]>) => async (host: string) => {
    const a = answers[host];
    if (!a) throw new Error('ENOTFOUND');
    return a;
  };

  it('passes a host whose every address is public', async () => {
    const policy = {
      allowPrivate: false,
      resolveHost: resolver({ 'a.example': ['8.8.8.8', '2606:4700::1'] }),
    };
    expect(await webhookUrlProblem('https://a.example/x', policy)).toBeUndefined();
  });

  it('refuses a host with any private address, or none', async () => {
    const policy = {
      allowPrivate: false,
      resolveHost: resolver({ 'b.example': ['8.8.8.8', 'fd00::5'], 'c.example': [] }),
    };
    expect(await webhookUrlProblem('https://b.example/x', policy)).toBe(
      'must resolve to public addresses only (b.example: fd00::5 is a uniqueLocal address)',
    );
    expect(await webhookUrlProblem('https://c.example/x', policy)).toBe(
      'host c.example could not be resolved',
    );
    expect(await webhookUrlProblem('https://d.example/x', policy)).toBe(
      'host d.example could not be resolved',
    );
  });

  it('does not resolve when private addresses are allowed, nor for literal addresses', async () => {
    const resolveHost = async (): Promise<string[]> => {
      throw new Error('must not be called');
    };
    expect(
      await webhookUrlProblem('http://b.example/x', { allowPrivate: true, resolveHost }),
    ).toBeUndefined();
    expect(
      await webhookUrlProblem('https://8.8.8.8/x', { allowPrivate: false, resolveHost }),
    ).toBeUndefined();
  });
});
