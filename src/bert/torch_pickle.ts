/**
 * A small Python pickle virtual machine, enough to decode the `data.pkl` of PyTorch
 * checkpoints (protocols 0-4 opcodes used by `torch.save` on state dicts). Nothing is
 * executed: globals resolve only through the caller's `findClass` table; unknown globals
 * become inert {@link PickleGlobal} / {@link PickleObject} values.
 *
 * Python → JS mapping: None → null, bool → boolean, int → number (bigint when beyond
 * 2^53), float → number, str → string, bytes → Uint8Array, list/tuple → Array,
 * dict → Map, set/frozenset → Set.
 * @module
 */

import { CheckpointFormatError } from "./errors.ts";

/** A `module.name` global that `findClass` did not resolve. */
export class PickleGlobal {
  /** Records the global's Python module and name, as the GLOBAL / STACK_GLOBAL opcode gave them. */
  constructor(readonly module: string, readonly name: string) {}
  /** "module.name" */
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** The result of calling an unresolved global (REDUCE / NEWOBJ), with BUILD state if any. */
export class PickleObject {
  /** The BUILD opcode's argument (what Python's `__setstate__` would get), if any. */
  state: unknown = undefined;
  /** Records a call of `cls` with `args`, the REDUCE / NEWOBJ argument tuple. */
  constructor(readonly cls: PickleGlobal, readonly args: unknown[]) {}
}

/** A resolved global: called with the REDUCE / NEWOBJ argument tuple. */
export type PickleCallable = (args: unknown[]) => unknown;

/** Hooks that give meaning to globals and persistent ids. */
export interface UnpickleOptions {
  /** Resolve a global; return undefined to keep it as an inert PickleGlobal. */
  findClass?: (module: string, name: string) => PickleCallable | undefined;
  /** Resolve a persistent id (PyTorch stores tensor storages this way). */
  persistentLoad?: (pid: unknown) => unknown;
  /** Label for error messages. */
  source?: string;
}

/**
 * Run the pickle program in `bytes` and return the unpickled root object.
 * @throws CheckpointFormatError on unknown opcodes, truncation or stack misuse
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions = {}): unknown {
  const source = options.source ?? "data.pkl";
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;
  let op = 0;
  let opPos = 0;
  const fail = (detail: string): never => {
    throw new CheckpointFormatError(
      source,
      `pickle opcode 0x${op.toString(16)} at byte ${opPos}: ${detail}`,
    );
  };
  const need = (n: number) => {
    if (pos + n > bytes.byteLength) fail(`truncated (needs ${n} more bytes)`);
  };
  const u8 = () => (need(1), bytes[pos++]);
  const u16 = () => (need(2), (pos += 2), dv.getUint16(pos - 2, true));
  const i32 = () => (need(4), (pos += 4), dv.getInt32(pos - 4, true));
  const u32 = () => (need(4), (pos += 4), dv.getUint32(pos - 4, true));
  const u64 = () => {
    need(8);
    pos += 8;
    const v = dv.getBigUint64(pos - 8, true);
    if (v > BigInt(bytes.byteLength)) fail(`length ${v} exceeds the pickle size`);
    return Number(v);
  };
  const take = (n: number) => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail("unterminated text argument");
    const s = latin1(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = () => (stack.length === 0 ? fail("stack underflow") : stack.pop());
  const top = () => (stack.length === 0 ? fail("stack underflow") : stack[stack.length - 1]);
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) fail("no MARK on the stack");
    const items = stack.splice(m!);
    return items;
  };
  const resolve = (module: string, name: string): unknown =>
    options.findClass?.(module, name) ?? BUILTINS[`${module}.${name}`] ??
      new PickleGlobal(module, name);
  const call = (fn: unknown, args: unknown): unknown => {
    if (!Array.isArray(args)) fail("call arguments are not a tuple");
    if (typeof fn === "function") return (fn as PickleCallable)(args as unknown[]);
    if (fn instanceof PickleGlobal) return new PickleObject(fn, args as unknown[]);
    return fail(`cannot call ${describe(fn)}`);
  };
  const setItems = (target: unknown, kv: unknown[]) => {
    if (!(target instanceof Map)) fail(`SETITEM(S) on ${describe(target)}`);
    for (let i = 0; i + 1 < kv.length; i += 2) {
      (target as Map<unknown, unknown>).set(kv[i], kv[i + 1]);
    }
  };
  const appendItems = (target: unknown, items: unknown[]) => {
    if (Array.isArray(target)) target.push(...items);
    else if (target instanceof Set) { for (const x of items) target.add(x); }
    else fail(`APPEND(S) on ${describe(target)}`);
  };

  for (;;) {
    opPos = pos;
    op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME: framing is only a read-ahead hint
        pos += 8;
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) fail(`STOP with ${stack.length} items on the stack`);
        return stack[0];
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x30: // POP
        if (marks.length && marks[marks.length - 1] === stack.length) marks.pop();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      // ---- constants
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(decodeLong(take(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(decodeLong(take(u32())));
        break;
      case 0x49: { // INT (protocol 0; "00"/"01" are bools)
        const s = line();
        stack.push(s === "00" ? false : s === "01" ? true : parseIntText(s, fail));
        break;
      }
      case 0x4c: // LONG (protocol 0, trailing "L")
        stack.push(parseIntText(line().replace(/L$/, ""), fail));
        break;
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        stack.push(dv.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x46: // FLOAT
        stack.push(parseFloat(line()));
        break;
      // ---- strings and bytes
      case 0x58: // BINUNICODE
        stack.push(utf8(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(utf8(take(u64())));
        break;
      case 0x54: // BINSTRING (Python 2 str, decoded like pickle's encoding="latin1")
        stack.push(latin1(take(i32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1(take(u8())));
        break;
      case 0x53: { // STRING: quoted repr
        const s = line();
        stack.push(s.slice(1, -1));
        break;
      }
      case 0x56: // UNICODE: raw-unicode-escape (latin-1 bytes plus \uXXXX / \UXXXXXXXX)
        stack.push(
          line().replace(
            /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
            (_, h4, h8) => String.fromCodePoint(parseInt(h4 ?? h8, 16)),
          ),
        );
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(take(u64()).slice());
        break;
      // ---- containers
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x8f: // EMPTY_SET
        stack.push(new Set());
        break;
      case 0x6c: // LIST
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: { // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x64: { // DICT
        const m = new Map();
        setItems(m, popMark());
        stack.push(m);
        break;
      }
      case 0x91: // FROZENSET
        stack.push(new Set(popMark()));
        break;
      case 0x61: { // APPEND
        const v = pop();
        appendItems(top(), [v]);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x90: { // ADDITEMS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: { // SETITEMS
        const kv = popMark();
        setItems(top(), kv);
        break;
      }
      // ---- memo
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x70: // PUT
        memo.set(parseInt(line(), 10), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: // LONG_BINGET
      case 0x67: { // GET
        const k = op === 0x68 ? u8() : op === 0x6a ? u32() : parseInt(line(), 10);
        if (!memo.has(k)) fail(`memo key ${k} not defined`);
        stack.push(memo.get(k));
        break;
      }
      // ---- objects
      case 0x63: { // GLOBAL
        const module = line();
        stack.push(resolve(module, line()));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") {
          fail("STACK_GLOBAL needs two strings");
        }
        stack.push(resolve(module as string, name as string));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const fn = pop();
        stack.push(call(fn, args));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop();
        const cls = pop();
        stack.push(call(cls, args));
        break;
      }
      case 0x92: { // NEWOBJ_EX (kwargs are ignored: no state-dict class takes any)
        pop();
        const args = pop();
        const cls = pop();
        stack.push(call(cls, args));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const obj = top();
        if (obj instanceof PickleObject) obj.state = state;
        // Other targets (OrderedDict carrying `_metadata`, tensors) need no state here.
        break;
      }
      case 0x51: { // BINPERSID
        const pid = pop();
        if (!options.persistentLoad) fail("persistent id without a persistentLoad hook");
        stack.push(options.persistentLoad!(pid));
        break;
      }
      case 0x50: { // PERSID
        const pid = line();
        if (!options.persistentLoad) fail("persistent id without a persistentLoad hook");
        stack.push(options.persistentLoad!(pid));
        break;
      }
      default:
        fail("unsupported opcode");
    }
  }
}

/**
 * Builtins that protocols 0-2 express as calls: sets, OrderedDict, and bytes as
 * `_codecs.encode(latin1_text, "latin1")`. Pure data constructors, nothing else.
 */
const BUILTINS: Readonly<Record<string, PickleCallable>> = {
  "builtins.set": (a) => new Set((a[0] as unknown[] | undefined) ?? []),
  "__builtin__.set": (a) => new Set((a[0] as unknown[] | undefined) ?? []),
  "builtins.frozenset": (a) => new Set((a[0] as unknown[] | undefined) ?? []),
  "__builtin__.frozenset": (a) => new Set((a[0] as unknown[] | undefined) ?? []),
  "builtins.bytes": (a) => latin1Bytes(a),
  "__builtin__.bytes": (a) => latin1Bytes(a),
  "builtins.bytearray": (a) => latin1Bytes(a),
  "__builtin__.bytearray": (a) => latin1Bytes(a),
  "_codecs.encode": (a) => latin1Bytes(a),
  "collections.OrderedDict": (a) => new Map((a[0] as [unknown, unknown][] | undefined) ?? []),
};

function latin1Bytes(args: unknown[]): Uint8Array {
  const v = args[0];
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return Uint8Array.from(v as number[]);
  const s = typeof v === "string" ? v : "";
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

function decodeLong(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}

function parseIntText(s: string, fail: (d: string) => never): number | bigint {
  if (!/^[-+]?\d+$/.test(s)) fail(`bad integer literal "${s}"`);
  const v = BigInt(s);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}

function utf8(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 8192)));
  }
  return s;
}

function describe(v: unknown): string {
  if (v instanceof PickleGlobal) return v.qualifiedName;
  if (v instanceof PickleObject) return `${v.cls.qualifiedName}(...)`;
  if (v instanceof Map) return "dict";
  if (Array.isArray(v)) return "list/tuple";
  return typeof v;
}
