/**
 * SHA-512 in plain TypeScript (64-bit words as hi/lo 32-bit pairs), so that
 * `api/` stays browser-safe while the `/openapi/v3` index carries the same
 * content hashes upstream does. Round constants are derived, not typed in:
 * the first 64 bits of the fractional parts of the cube roots (K) and square
 * roots (H) of the first primes.
 */

function primes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) if (out.every((p) => c % p !== 0)) out.push(c);
  return out;
}

/** floor(x^(1/k)) for a BigInt, by Newton's method. */
function iroot(x: bigint, k: bigint): bigint {
  let r = 1n << BigInt(Math.ceil(x.toString(2).length / Number(k)) + 1);
  for (;;) {
    const next = ((k - 1n) * r + x / r ** (k - 1n)) / k;
    if (next >= r) return r;
    r = next;
  }
}

function fractionBits(p: number, k: bigint): [number, number] {
  const v = iroot(BigInt(p) << (64n * k), k) & ((1n << 64n) - 1n);
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}

let tables: { k: Uint32Array; h: Uint32Array } | undefined;

function constants(): { k: Uint32Array; h: Uint32Array } {
  if (tables) return tables;
  const ps = primes(80);
  const k = new Uint32Array(160);
  ps.forEach((p, i) => k.set(fractionBits(p, 3n), 2 * i));
  const h = new Uint32Array(16);
  ps.slice(0, 8).forEach((p, i) => h.set(fractionBits(p, 2n), 2 * i));
  tables = { k, h };
  return tables;
}

/** SHA-512 of the UTF-8 encoding of `text`, as lower-case hex. */
export function sha512Hex(text: string): string {
  const { k, h: h0 } = constants();
  const data = new TextEncoder().encode(text);
  const blocks = Math.ceil((data.length + 17) / 128);
  const buf = new Uint8Array(blocks * 128);
  buf.set(data);
  buf[data.length] = 0x80;
  const view = new DataView(buf.buffer);
  const bits = data.length * 8;
  view.setUint32(buf.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(buf.length - 4, bits >>> 0);

  const h = Uint32Array.from(h0);
  const w = new Uint32Array(160);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < 32; i++) w[i] = view.getUint32(b * 128 + i * 4);
    for (let i = 16; i < 80; i++) {
      // s0 = rotr1 ^ rotr8 ^ shr7 of w[i-15]; s1 = rotr19 ^ rotr61 ^ shr6 of w[i-2]
      const xh = w[2 * (i - 15)]!, xl = w[2 * (i - 15) + 1]!;
      const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
      const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
      const yh = w[2 * (i - 2)]!, yl = w[2 * (i - 2) + 1]!;
      const s1h = ((yh >>> 19) | (yl << 13)) ^ ((yl >>> 29) | (yh << 3)) ^ (yh >>> 6);
      const s1l = ((yl >>> 19) | (yh << 13)) ^ ((yh >>> 29) | (yl << 3)) ^ ((yl >>> 6) | (yh << 26));
      let lo = (s0l >>> 0) + (s1l >>> 0) + w[2 * (i - 7) + 1]! + w[2 * (i - 16) + 1]!;
      const hi = s0h + s1h + w[2 * (i - 7)]! + w[2 * (i - 16)]! + Math.floor(lo / 2 ** 32);
      lo >>>= 0;
      w[2 * i] = hi >>> 0;
      w[2 * i + 1] = lo;
    }
    let [ah, al, bh, bl, ch, cl, dh, dl, eh, el, fh, fl, gh, gl, hh, hl] = h as unknown as number[] as [
      number, number, number, number, number, number, number, number,
      number, number, number, number, number, number, number, number,
    ];
    for (let i = 0; i < 80; i++) {
      // S1 = rotr14 ^ rotr18 ^ rotr41 of e; ch = (e & f) ^ (~e & g)
      const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
      const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
      const chh = (eh & fh) ^ (~eh & gh);
      const chl = (el & fl) ^ (~el & gl);
      let t1l = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + k[2 * i + 1]! + w[2 * i + 1]!;
      const t1h = hh + S1h + chh + k[2 * i]! + w[2 * i]! + Math.floor(t1l / 2 ** 32);
      t1l >>>= 0;
      // S0 = rotr28 ^ rotr34 ^ rotr39 of a; maj = (a & b) ^ (a & c) ^ (b & c)
      const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
      const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
      const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
      const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
      let t2l = (S0l >>> 0) + (majl >>> 0);
      const t2h = S0h + majh + Math.floor(t2l / 2 ** 32);
      t2l >>>= 0;
      hh = gh; hl = gl;
      gh = fh; gl = fl;
      fh = eh; fl = el;
      let nl = (dl >>> 0) + t1l;
      eh = (dh + t1h + Math.floor(nl / 2 ** 32)) >>> 0;
      el = nl >>> 0;
      dh = ch; dl = cl;
      ch = bh; cl = bl;
      bh = ah; bl = al;
      nl = t1l + t2l;
      ah = (t1h + t2h + Math.floor(nl / 2 ** 32)) >>> 0;
      al = nl >>> 0;
    }
    const add = (i: number, hi: number, lo: number) => {
      const l = h[i + 1]! + (lo >>> 0);
      h[i] = h[i]! + hi + Math.floor(l / 2 ** 32);
      h[i + 1] = l;
    };
    add(0, ah, al); add(2, bh, bl); add(4, ch, cl); add(6, dh, dl);
    add(8, eh, el); add(10, fh, fl); add(12, gh, gl); add(14, hh, hl);
  }
  return Array.from(h, (x) => x.toString(16).padStart(8, "0")).join("");
}
