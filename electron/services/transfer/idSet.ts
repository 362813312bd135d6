/**
 * A set of ids kept as 64-bit hashes in one typed array (16 bytes per id at most, instead of ~80 for a Set of
 * strings), so a file of millions of calls can be checked for repeated ids in bounded memory. Two different ids
 * are taken for the same with a probability of about n²/2⁶⁵ (4·10⁻⁷ for four million ids).
 */
export class IdSet {
  private slots = new Uint32Array(2 * 1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** True when `id` was added before. */
  has(id: string): boolean {
    const [a, b] = hash64(id);
    return this.find(a, b) < 0;
  }

  /** Adds `id`. */
  add(id: string): void {
    const [a, b] = hash64(id);
    const at = this.find(a, b);
    if (at < 0) return;
    this.slots[2 * at] = a;
    this.slots[2 * at + 1] = b;
    this.count++;
    if (this.count * 2 > this.slots.length / 2) this.grow();
  }

  /** The free slot for (a,b), or -1 when it is present. */
  private find(a: number, b: number): number {
    const mask = this.slots.length / 2 - 1;
    let i = a & mask;
    for (;;) {
      const sa = this.slots[2 * i]!;
      const sb = this.slots[2 * i + 1]!;
      if (sa === 0 && sb === 0) return i;
      if (sa === a && sb === b) return -1;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i]!;
      const b = old[i + 1]!;
      if (a === 0 && b === 0) continue;
      const at = this.find(a, b);
      this.slots[2 * at] = a;
      this.slots[2 * at + 1] = b;
      this.count++;
    }
  }
}

/** Two independent 32-bit hashes of a string (FNV-1a and a multiplicative one); never both zero. */
function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b) >>> 0;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35) >>> 0;
  return a === 0 && b === 0 ? [1, 0] : [a, b];
}
