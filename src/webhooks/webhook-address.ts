import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';

/**
 * Where a webhook may not point: anything that reaches the server's own machine or network instead
 * of the internet (loopback, private, link-local with cloud metadata at 169.254.169.254, carrier NAT,
 * multicast, reserved). Checked when an endpoint is registered and again on every connection, after
 * DNS, so a name that later resolves to 10.0.0.5 is refused too.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) FORBIDDEN.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96], ['100::', 64],
] as const) FORBIDDEN.addSubnet(network, prefix, 'ipv6');

export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return FORBIDDEN.check(address, 'ipv4');
  if (family !== 6) return true;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return FORBIDDEN.check(mapped[1]!, 'ipv4');
  return FORBIDDEN.check(address, 'ipv6');
}

/** Why a URL cannot be a webhook, or null when it can. Names are resolved; every address must be allowed. */
export async function refuseWebhookUrl(url: URL, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'only http(s) URLs';
  if (url.protocol !== 'https:') return 'only https URLs are accepted';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isForbiddenAddress(host) ? `${host} is a loopback, private or reserved address` : null;
  const addresses = await new Promise<string[] | null>((resolve) => {
    lookup(host, { all: true }, (error, found) => resolve(error ? null : found.map((entry) => entry.address)));
  });
  if (!addresses || addresses.length === 0) return `${host} does not resolve`;
  const forbidden = addresses.find(isForbiddenAddress);
  return forbidden ? `${host} resolves to ${forbidden}, a loopback, private or reserved address` : null;
}

/** A DNS lookup for the delivery's connection that refuses forbidden addresses (no rebinding past the check). */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as Array<{ address: string; family: number }>;
    const forbidden = list.find((entry) => isForbiddenAddress(entry.address));
    if (forbidden) return callback(Object.assign(new Error(`${hostname} resolves to ${forbidden.address}, a forbidden address`), { code: 'EFORBIDDEN' }), '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};
