/**
 * The smallest string greater than every string that starts with `prefix`,
 * in code-point order (which is UTF-8 byte order, the order SQLite's BINARY
 * collation and etcd use). So "starts with prefix" is the half-open range
 * `[prefix, prefixEnd(prefix))`. Undefined when no such bound exists (the
 * prefix is empty or made only of U+10FFFF): the range is then unbounded.
 */
export function prefixEnd(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  while (codePoints.length > 0) {
    const last = codePoints.pop() ?? 0;
    if (last < 0x10ffff) {
      // Skip the surrogate block: no valid code point lies inside it.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return String.fromCodePoint(...codePoints, next);
    }
  }
  return undefined;
}

/** The smallest byte string greater than every byte string that starts with `prefix` (etcd's `range_end`). */
export function prefixEndBytes(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i] ?? 0xff;
    if (byte < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  // etcd reads a range_end of "\0" as "every key >= key".
  return Buffer.from([0]);
}
