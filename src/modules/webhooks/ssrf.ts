import ipaddr from 'ipaddr.js';
import type { Deps } from '../../deps';
import { ValidationFailed } from '../../lib/errors';

/** Resolves a host name to its addresses (Node: `dns.lookup` with `all`). */
export type ResolveHost = (host: string) => Promise<string[]>;

/**
 * Where webhooks may go. `allowPrivate` (PLAUDIT_ALLOW_PRIVATE_WEBHOOKS, development only)
 * lifts the https and public-address rules. `resolveHost` is set on Node only: on Workers
 * the request leaves through Cloudflare's network, which cannot reach private or loopback
 * addresses, so checking literal addresses and reserved names is all that is needed there.
 */
export interface UrlPolicy {
  allowPrivate: boolean;
  resolveHost?: ResolveHost | undefined;
}

/** The policy the app runs with. */
export function urlPolicyOf(deps: Pick<Deps, 'config' | 'resolveHost'>): UrlPolicy {
  return { allowPrivate: deps.config.allowPrivateWebhooks, resolveHost: deps.resolveHost };
}

// Names that are private by definition (RFC 6761 localhost, mDNS, cloud metadata names).
const PRIVATE_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa'];

/**
 * Why an address may not receive webhooks, or undefined for a public unicast address.
 * Allow-list: anything ipaddr.js classifies as special (loopback, RFC 1918, CGNAT, link-local
 * including 169.254.169.254, 0.0.0.0/8, multicast, reserved, ::, fc00::/7, fe80::/10, 6to4,
 * Teredo…) is refused; IPv4-mapped and NAT64 (64:ff9b::/96) addresses are judged by the IPv4
 * address they carry.
 */
export function blockedAddressReason(address: string): string | undefined {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return `${address} is not an IP address`;
  }
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    const range = v6.range();
    if (range === 'ipv4Mapped' || range === 'rfc6145')
      return blockedAddressReason(v6.toIPv4Address().toString());
    if (range === 'rfc6052' && v6.match(ipaddr.IPv6.parse('64:ff9b::'), 96)) {
      const p = v6.parts;
      return blockedAddressReason(`${p[6]! >> 8}.${p[6]! & 0xff}.${p[7]! >> 8}.${p[7]! & 0xff}`);
    }
    return range === 'unicast' ? undefined : `${v6.toString()} is a ${range} address`;
  }
  const range = (ip as ipaddr.IPv4).range();
  return range === 'unicast' ? undefined : `${ip.toString()} is a ${range} address`;
}

/**
 * The checks that need no network: scheme, credentials, reserved names and literal
 * addresses. Returns why the URL is refused, or undefined. The WHATWG parser has already
 * turned numeric forms (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`) into dotted quads.
 */
export function staticUrlProblem(raw: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    return allowPrivate ? 'must use http or https' : 'must use https';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (allowPrivate) return undefined;
  const host = hostOf(url);
  if (ipaddr.isValid(host)) {
    const reason = blockedAddressReason(host);
    return reason ? `must be a public address (${reason})` : undefined;
  }
  if (host === 'localhost' || PRIVATE_SUFFIXES.some((s) => host.endsWith(s))) {
    return `must be a public host (${host} is a private name)`;
  }
  if (!host.includes('.')) return `must be a public host (${host} has no domain)`;
  return undefined;
}

/**
 * The whole check: the static rules, then — when a resolver is available — every address
 * the host resolves to must be public. Run at registration and again before each send,
 * since DNS can change in between.
 */
export async function webhookUrlProblem(raw: string, policy: UrlPolicy): Promise<string | undefined> {
  const problem = staticUrlProblem(raw, policy.allowPrivate);
  if (problem || policy.allowPrivate || !policy.resolveHost) return problem;
  const host = hostOf(new URL(raw));
  if (ipaddr.isValid(host)) return undefined;
  let addresses: string[];
  try {
    addresses = await policy.resolveHost(host);
  } catch {
    return `host ${host} could not be resolved`;
  }
  if (addresses.length === 0) return `host ${host} could not be resolved`;
  for (const address of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) return `must resolve to public addresses only (${host}: ${reason})`;
  }
  return undefined;
}

/** The host without IPv6 brackets or a trailing dot, lower case. */
function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** Registration-time check: a refused URL is a 400 naming `url`. */
export async function assertWebhookUrl(raw: string, policy: UrlPolicy): Promise<void> {
  const problem = await webhookUrlProblem(raw, policy);
  if (problem) throw new ValidationFailed([{ path: 'url', message: problem }]);
}
