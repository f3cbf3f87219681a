/**
 * Counter-keyed random streams (the determinism contract of docs/ARCHITECTURE.md).
 *
 * Every random draw in Twinbench comes from a stream keyed by
 * (seed, purpose, id, sub): for example (42, 'cohort', twin 17, attempt 0). The key is
 * hashed into the 128-bit state of an sfc32 generator, so a twin's draws depend on
 * nothing but its key: not on N, chunking, worker count or the order chunks run in.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean to 2^42+
 * bytes) uses only 32-bit integer ops, which V8 runs fast and bit-identically
 * everywhere. Key hashing uses the murmur3 32-bit finaliser (Appleby, SMHasher).
 *
 * One `RandomStream` object is reused for many keys (`reset`), so hot loops allocate
 * nothing per twin.
 */

/** murmur3 fmix32: a bijective avalanche mix of a 32-bit word. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a hash of a purpose label such as 'cohort' or 'residual', to a 32-bit word. */
export function purposeHash(purpose: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < purpose.length; i++) {
    h ^= purpose.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

const TWO_POW_32 = 4294967296;
const TWO_POW_M53 = 1 / 9007199254740992;

/** Splits a non-negative safe-integer seed into its low and high 32-bit words. */
export function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative integer up to 2^53-1, got ${seed}`);
  }
  return [seed >>> 0, Math.floor(seed / TWO_POW_32) >>> 0];
}

export class RandomStream {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /**
   * Re-keys the stream. `seed` is a safe integer, `purpose` a value of purposeHash,
   * `id` and `sub` non-negative integers below 2^32 (twin id, attempt or replicate).
   */
  reset(seed: number, purpose: number, id: number, sub = 0): this {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    // Chain the key words through the mixer so that every word affects every state bit.
    const k0 = mix32(lo ^ 0x9e3779b9);
    const k1 = mix32(hi ^ k0 ^ 0x7f4a7c15);
    const k2 = mix32(purpose ^ k1 ^ 0x85ebca77);
    const k3 = mix32((id >>> 0) ^ k2 ^ 0xc2b2ae3d);
    const k4 = mix32((sub >>> 0) ^ k3 ^ 0x27d4eb2f);
    this.a = k4;
    this.b = mix32(k4 ^ k2);
    this.c = mix32(k4 ^ k1 ^ 0x165667b1);
    this.d = 1; // sfc32's counter
    // The key words are already avalanched; a few rounds decorrelate the state words.
    for (let i = 0; i < 4; i++) this.nextUint32();
    return this;
  }

  /** Next raw 32-bit output of sfc32. */
  nextUint32(): number {
    const a = this.a,
      b = this.b,
      c = this.c,
      d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = ((c << 21) | (c >>> 11)) + t;
    this.c |= 0;
    return t >>> 0;
  }

  /** Uniform double on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_M53;
  }

  /** Uniform double on the open interval (0, 1): safe for inverse CDFs and logs. */
  uniformOpen(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  /**
   * Standard normal draw by the ziggurat method in Doornik's ZIGNOR form (Doornik 2005,
   * "An improved ziggurat method to generate normal random samples"), which draws the
   * layer index and the value from separate bits. About six times faster than
   * Box–Muller; a twin's draws come from its own stream, so the variable number of
   * uniforms a rejection consumes never shifts another twin's values.
   */
  normal(): number {
    for (;;) {
      // One 53-bit uniform from two words; the layer index takes 7 of the 11 bits the
      // uniform leaves unused, so value and layer never share bits.
      const hi = this.nextUint32();
      const lo = this.nextUint32();
      const u = 2 * ((hi >>> 5) * 67108864 + (lo >>> 6)) * TWO_POW_M53 - 1;
      const i = ((hi & 0x1f) << 2) | (lo & 0x3);
      if (Math.abs(u) < ZIG_R[i]) return u * ZIG_X[i];
      if (i === 0) return this.normalTail(u < 0);
      const x = u * ZIG_X[i];
      const f0 = Math.exp(-0.5 * (ZIG_X[i] * ZIG_X[i] - x * x));
      const f1 = Math.exp(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x * x));
      if (f1 + this.uniform() * (f0 - f1) < 1) return x;
    }
  }

  /** A draw from the normal tail beyond ZIG_TAIL (Marsaglia 1964). */
  private normalTail(negative: boolean): number {
    let x: number, y: number;
    do {
      x = Math.log(this.uniformOpen()) / ZIG_TAIL;
      y = Math.log(this.uniformOpen());
    } while (-2 * y < x * x);
    return negative ? x - ZIG_TAIL : ZIG_TAIL - x;
  }
}

// Ziggurat tables for 128 layers (Doornik 2005, zignor.c): ZIG_X are the layer
// edges, ZIG_R[i] = ZIG_X[i+1] / ZIG_X[i] the share of a layer inside the curve.
const ZIG_LAYERS = 128;
const ZIG_TAIL = 3.442619855899;
const ZIG_AREA = 9.91256303526217e-3;
const ZIG_X = new Float64Array(ZIG_LAYERS + 1);
const ZIG_R = new Float64Array(ZIG_LAYERS);
{
  let f = Math.exp(-0.5 * ZIG_TAIL * ZIG_TAIL);
  ZIG_X[0] = ZIG_AREA / f;
  ZIG_X[1] = ZIG_TAIL;
  ZIG_X[ZIG_LAYERS] = 0;
  for (let i = 2; i < ZIG_LAYERS; i++) {
    ZIG_X[i] = Math.sqrt(-2 * Math.log(ZIG_AREA / ZIG_X[i - 1] + f));
    f = Math.exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  }
  for (let i = 0; i < ZIG_LAYERS; i++) ZIG_R[i] = ZIG_X[i + 1] / ZIG_X[i];
}
