/**
 * A minimal WebAssembly binary writer: LEB128, sections, and `Code`, an emitter of function-body instructions
 * named after the text format. Enough for the scoring kernel of `wasmScores.ts`, built at run time so the
 * repository holds no binary blob. References: WebAssembly Core Specification 2.0, §5 (binary format).
 */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A module section: id, byte length, body. */
export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A counted vector of encoded items. */
export function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A name (ASCII here) as the binary format spells it. */
export function name(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (ch) => ch.charCodeAt(0))];
}

/** A small emitter of WebAssembly function-body instructions, named after the text format. */
export class Code {
  readonly bytes: number[] = [];
  private op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
  private simd(opcode: number, ...rest: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...rest);
  }
  get(local: number): this {
    return this.op(0x20, ...uleb(local));
  }
  set(local: number): this {
    return this.op(0x21, ...uleb(local));
  }
  i32(value: number): this {
    return this.op(0x41, ...sleb(value));
  }
  add(): this {
    return this.op(0x6a);
  }
  mul(): this {
    return this.op(0x6c);
  }
  shl(): this {
    return this.op(0x74);
  }
  and(): this {
    return this.op(0x71);
  }
  geU(): this {
    return this.op(0x4f);
  }
  gtU(): this {
    return this.op(0x4b);
  }
  ltU(): this {
    return this.op(0x49);
  }
  loadI32(offset = 0): this {
    return this.op(0x28, 2, ...uleb(offset));
  }
  loadF32(offset = 0): this {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  loadF64(offset = 0): this {
    return this.op(0x2b, 3, ...uleb(offset));
  }
  storeI32(offset = 0): this {
    return this.op(0x36, 2, ...uleb(offset));
  }
  storeF32(offset = 0): this {
    return this.op(0x38, 2, ...uleb(offset));
  }
  storeF64(offset = 0): this {
    return this.op(0x39, 3, ...uleb(offset));
  }
  promote(): this {
    return this.op(0xbb);
  }
  demote(): this {
    return this.op(0xb6);
  }
  addF64(): this {
    return this.op(0xa0);
  }
  mulF64(): this {
    return this.op(0xa2);
  }
  /** v128.load64_zero then f64x2.promote_low_f32x4: two float32 weights widened to an f64x2. */
  loadPairF32(offset = 0): this {
    return this.simd(0x5d, 3, ...uleb(offset)).simd(0x5f);
  }
  load64Splat(offset = 0): this {
    return this.simd(0x0a, 3, ...uleb(offset));
  }
  storeV128(offset = 0): this {
    return this.simd(0x0b, 4, ...uleb(offset));
  }
  addF64x2(): this {
    return this.simd(0xf0);
  }
  mulF64x2(): this {
    return this.simd(0xf2);
  }
  demoteF64x2(): this {
    return this.simd(0x5e);
  }
  /** i8x16.shuffle taking the low 8 bytes of each operand: [a0, a1, b0, b1] as f32x4. */
  joinLowHalves(): this {
    return this.simd(0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  }
  /** v128.const holding `value` in both f64 lanes. */
  splatConstF64(value: number): this {
    const lane = [...new Uint8Array(Float64Array.of(value).buffer)];
    return this.simd(0x0c, ...lane, ...lane);
  }
  /** v128.const holding `value` in all four i32 lanes. */
  splatConstI32(value: number): this {
    const lane = [...new Uint8Array(Int32Array.of(value).buffer)];
    return this.simd(0x0c, ...lane, ...lane, ...lane, ...lane);
  }
  splatF64(): this {
    return this.simd(0x14);
  }
  replaceF64x2(lane: number): this {
    return this.simd(0x22, lane);
  }
  subF64x2(): this {
    return this.simd(0xf1);
  }
  divF64x2(): this {
    return this.simd(0xf3);
  }
  absF64x2(): this {
    return this.simd(0xec);
  }
  ltF64x2(): this {
    return this.simd(0x49);
  }
  gtF64x2(): this {
    return this.simd(0x4a);
  }
  leF64x2(): this {
    return this.simd(0x4b);
  }
  geF64x2(): this {
    return this.simd(0x4c);
  }
  andV128(): this {
    return this.simd(0x4e);
  }
  orV128(): this {
    return this.simd(0x50);
  }
  /** v128.bitselect(a, b, mask): bits of a where mask is 1, of b elsewhere. */
  bitselect(): this {
    return this.simd(0x52);
  }
  allTrueI64x2(): this {
    return this.simd(0xc3);
  }
  /** i32x4.trunc_sat_f64x2_s_zero: both lanes truncated toward zero into i32 lanes 0 and 1. */
  truncF64x2ToI32(): this {
    return this.simd(0xfc);
  }
  /** f64x2.convert_low_i32x4_s. */
  lowI32ToF64x2(): this {
    return this.simd(0xfe);
  }
  shlI32x4(): this {
    return this.simd(0xab);
  }
  addI32x4(): this {
    return this.simd(0xae);
  }
  eqI32x4(): this {
    return this.simd(0x37);
  }
  /** i64x2.extend_low_i32x4_s. */
  widenLowI32(): this {
    return this.simd(0xc7);
  }
  shlI64x2(): this {
    return this.simd(0xcb);
  }
  /** i8x16.shuffle gathering the low i32 of each i64 lane into i32 lanes 0 and 1 (and again in 2 and 3). */
  narrowI64Masks(): this {
    return this.simd(0x0d, 0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11);
  }
  extractF64x2(lane: number): this {
    return this.simd(0x21, lane);
  }
  /** `block (loop …)`: `body` exits with brIf(1) and repeats with br(0). */
  whileLoop(body: (c: this) => void): this {
    this.op(0x02, 0x40, 0x03, 0x40);
    body(this);
    return this.op(0x0c, 0, 0x0b, 0x0b);
  }
  f64(value: number): this {
    return this.op(0x44, ...new Uint8Array(Float64Array.of(value).buffer));
  }
  subF64(): this {
    return this.op(0xa1);
  }
  divF64(): this {
    return this.op(0xa3);
  }
  gtF64(): this {
    return this.op(0x64);
  }
  eqF64(): this {
    return this.op(0x61);
  }
  sub(): this {
    return this.op(0x6b);
  }
  eq(): this {
    return this.op(0x46);
  }
  eqz(): this {
    return this.op(0x45);
  }
  geS(): this {
    return this.op(0x4e);
  }
  shrU(): this {
    return this.op(0x76);
  }
  select(): this {
    return this.op(0x1b);
  }
  truncToI32(): this {
    return this.op(0xaa);
  }
  toF64(): this {
    return this.op(0xb7);
  }
  /** The high 32 bits of an f64 as an i32 (GET_HIGH_WORD). */
  highWord(): this {
    return this.op(0xbd, 0x42, 32, 0x88, 0xa7);
  }
  /** An f64 whose high 32 bits are the i32 on the stack and whose low bits are 0 (INSERT_WORDS(d, hi, 0)). */
  fromHighWord(): this {
    return this.op(0xad, 0x42, 32, 0x86, 0xbf);
  }
  call(index: number): this {
    return this.op(0x10, ...uleb(index));
  }
  ret(): this {
    return this.op(0x0f);
  }
  /** `if (result f64) … else … end`. */
  ifElseF64(then: (c: this) => void, otherwise: (c: this) => void): this {
    this.op(0x04, F64);
    then(this);
    this.op(0x05);
    otherwise(this);
    return this.op(0x0b);
  }
  ifElse(then: (c: this) => void, otherwise: (c: this) => void): this {
    this.op(0x04, 0x40);
    then(this);
    this.op(0x05);
    otherwise(this);
    return this.op(0x0b);
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }
  ifThen(body: (c: this) => void): this {
    this.op(0x04, 0x40);
    body(this);
    return this.op(0x0b);
  }
}
