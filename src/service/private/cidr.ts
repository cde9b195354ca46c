/* eslint-disable no-bitwise -- network addresses are bit masks */
/**
 * The network address of a CIDR block with host bits set, such as `10.0.0.0/8` for `10.0.0.1/8`; undefined when no
 * host bit is set, or when `cidr` is no IPv4 or IPv6 CIDR block (checked elsewhere).
 */
export function networkAddressIfHostBits(cidr: string): string | undefined {
  const [address, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  if (address === undefined || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  if (address.includes(':')) {
    const words = ipv6Words(address);
    if (words === undefined || prefix > 128) return undefined;
    const masked = words.map((word, index) => word & wordMask(prefix - index * 16, 16));
    return masked.every((word, index) => word === words[index]) ? undefined : `${formatIpv6(masked)}/${prefix}`;
  }
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((octet) => !Number.isInteger(octet) || octet < 0 || octet > 255) || prefix > 32) return undefined;
  const masked = octets.map((octet, index) => octet & wordMask(prefix - index * 8, 8));
  return masked.every((octet, index) => octet === octets[index]) ? undefined : `${masked.join('.')}/${prefix}`;
}

/** The mask of a `size`-bit word of which the first `bits` bits (clamped to 0..size) belong to the network. */
function wordMask(bits: number, size: number): number {
  const kept = Math.max(0, Math.min(size, bits));
  return ((1 << size) - 1) ^ ((1 << (size - kept)) - 1);
}

/** The eight 16-bit words of an IPv6 address, `::` expanded (embedded IPv4 suffixes included). */
function ipv6Words(address: string): number[] | undefined {
  let text = address;
  const ipv4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (ipv4) {
    const [a, b, c, d] = ipv4.slice(1).map(Number);
    text = `${text.slice(0, ipv4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (half: string) => (half === '' ? [] : half.split(':').map((word) => parseInt(word, 16)));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const words = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return words.some((word) => Number.isNaN(word) || word < 0 || word > 0xffff) ? undefined : words;
}

/** An IPv6 address in its short form: lower case, the longest run of two or more zero words as `::`. */
function formatIpv6(words: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && words[start + length] === 0) length++;
    if (length > bestLength) {
      bestStart = start;
      bestLength = length;
    }
  }
  const hex = words.map((word) => word.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
