/**
 * A small Python pickle virtual machine, enough to decode the `data.pkl` of PyTorch
 * checkpoints (protocols 0-4 opcodes used by `torch.save` on state dicts). Nothing is
 * executed: globals resolve only through the caller's `findClass` table; unknown globals
 * become inert {@link PickleGlobal} / {@link PickleObject} values.
 *
 * Python → JS mapping: None → null, bool → boolean, int → number (bigint when beyond
 * 2^53), float → number, str → string, bytes → Uint8Array, list/tuple → Array,
 * dict → Map, set/frozenset → Set.
 *
 * Layout: `PickleMachine` holds the state (program, read position, stack, marks, memo) with the
 * argument readers and stack operations; each opcode is a one-line or few-line handler in a table
 * per kind (control, numbers, strings, containers, memo, objects), merged into `OPCODES`.
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
  return new PickleMachine(bytes, options).run();
}

/** What an opcode does to the machine (its argument bytes are read by the handler). */
type OpHandler = (vm: PickleMachine) => void;

/** The STOP opcode: the end of the program, whose one stack item is the result. */
const STOP = 0x2e;

/**
 * The machine's state while it runs: the program and the read position in it, the stack with its
 * MARK positions, the memo, and the opcode being run (for error messages). Readers of opcode
 * arguments and stack operations fail with a {@link CheckpointFormatError} naming that opcode.
 */
class PickleMachine {
  readonly stack: unknown[] = [];
  /** Stack heights at each MARK, innermost last. */
  readonly marks: number[] = [];
  readonly memo = new Map<number, unknown>();
  /** Read position in `bytes`. */
  pos = 0;
  #op = 0;
  #opPos = 0;
  readonly #dv: DataView;

  constructor(readonly bytes: Uint8Array, readonly options: UnpickleOptions) {
    this.#dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Runs opcodes up to STOP and returns the one item then on the stack. */
  run(): unknown {
    for (;;) {
      this.#opPos = this.pos;
      this.#op = this.u8();
      if (this.#op === STOP) {
        if (this.stack.length !== 1) this.fail(`STOP with ${this.stack.length} items on the stack`);
        return this.stack[0];
      }
      const handler = OPCODES[this.#op];
      if (!handler) this.fail("unsupported opcode");
      handler(this);
    }
  }

  /** Throws the error for the current opcode. */
  fail(detail: string): never {
    throw new CheckpointFormatError(
      this.options.source ?? "data.pkl",
      `pickle opcode 0x${this.#op.toString(16)} at byte ${this.#opPos}: ${detail}`,
    );
  }

  // ---- opcode arguments (little-endian unless named otherwise)

  /** Moves past the next `n` bytes (failing when the program ends first); where they start. */
  skip(n: number): number {
    if (this.pos + n > this.bytes.byteLength) this.fail(`truncated (needs ${n} more bytes)`);
    this.pos += n;
    return this.pos - n;
  }
  u8(): number {
    return this.bytes[this.skip(1)];
  }
  u16(): number {
    return this.#dv.getUint16(this.skip(2), true);
  }
  i32(): number {
    return this.#dv.getInt32(this.skip(4), true);
  }
  u32(): number {
    return this.#dv.getUint32(this.skip(4), true);
  }
  /** An 8-byte length, which must not exceed the pickle. */
  u64(): number {
    const v = this.#dv.getBigUint64(this.skip(8), true);
    if (v > BigInt(this.bytes.byteLength)) this.fail(`length ${v} exceeds the pickle size`);
    return Number(v);
  }
  /** A big-endian double (BINFLOAT). */
  f64be(): number {
    return this.#dv.getFloat64(this.skip(8), false);
  }
  /** The next `n` bytes (a view into the program). */
  take(n: number): Uint8Array {
    const at = this.skip(n);
    return this.bytes.subarray(at, at + n);
  }
  /** A protocol-0 text argument: latin-1 up to the newline, which is consumed. */
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) this.fail("unterminated text argument");
    const s = latin1(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }

  // ---- the stack

  push(v: unknown): void {
    this.stack.push(v);
  }
  pop(): unknown {
    return this.stack.length === 0 ? this.fail("stack underflow") : this.stack.pop();
  }
  top(): unknown {
    return this.stack.length === 0
      ? this.fail("stack underflow")
      : this.stack[this.stack.length - 1];
  }
  /** The items above the innermost MARK, removed with the mark. */
  popMark(): unknown[] {
    const m = this.marks.pop();
    if (m === undefined) this.fail("no MARK on the stack");
    return this.stack.splice(m!);
  }
}

// ---- opcode handlers, grouped by kind; keys are the opcode bytes

/** Protocol, framing and stack control. */
const CONTROL_OPS: Readonly<Record<number, OpHandler>> = {
  0x80: (vm) => void vm.u8(), // PROTO
  0x95: (vm) => void (vm.pos += 8), // FRAME: framing is only a read-ahead hint
  0x28: (vm) => void vm.marks.push(vm.stack.length), // MARK
  0x30: (vm) => { // POP
    if (vm.marks.length && vm.marks[vm.marks.length - 1] === vm.stack.length) vm.marks.pop();
    else vm.pop();
  },
  0x31: (vm) => void vm.popMark(), // POP_MARK
  0x32: (vm) => vm.push(vm.top()), // DUP
};

/** None, booleans, integers and floats. */
const NUMBER_OPS: Readonly<Record<number, OpHandler>> = {
  0x4e: (vm) => vm.push(null), // NONE
  0x88: (vm) => vm.push(true), // NEWTRUE
  0x89: (vm) => vm.push(false), // NEWFALSE
  0x4a: (vm) => vm.push(vm.i32()), // BININT
  0x4b: (vm) => vm.push(vm.u8()), // BININT1
  0x4d: (vm) => vm.push(vm.u16()), // BININT2
  0x8a: (vm) => vm.push(decodeLong(vm.take(vm.u8()))), // LONG1
  0x8b: (vm) => vm.push(decodeLong(vm.take(vm.u32()))), // LONG4
  0x49: (vm) => { // INT (protocol 0; "00"/"01" are bools)
    const s = vm.line();
    vm.push(s === "00" ? false : s === "01" ? true : parseIntText(s, (d) => vm.fail(d)));
  },
  // LONG (protocol 0, trailing "L")
  0x4c: (vm) => vm.push(parseIntText(vm.line().replace(/L$/, ""), (d) => vm.fail(d))),
  0x47: (vm) => vm.push(vm.f64be()), // BINFLOAT (big-endian double)
  0x46: (vm) => vm.push(parseFloat(vm.line())), // FLOAT
};

/** Text and bytes. */
const STRING_OPS: Readonly<Record<number, OpHandler>> = {
  0x58: (vm) => vm.push(utf8(vm.take(vm.u32()))), // BINUNICODE
  0x8c: (vm) => vm.push(utf8(vm.take(vm.u8()))), // SHORT_BINUNICODE
  0x8d: (vm) => vm.push(utf8(vm.take(vm.u64()))), // BINUNICODE8
  // BINSTRING (Python 2 str, decoded like pickle's encoding="latin1")
  0x54: (vm) => vm.push(latin1(vm.take(vm.i32()))),
  0x55: (vm) => vm.push(latin1(vm.take(vm.u8()))), // SHORT_BINSTRING
  0x53: (vm) => vm.push(vm.line().slice(1, -1)), // STRING: quoted repr
  // UNICODE: raw-unicode-escape (latin-1 bytes plus \uXXXX / \UXXXXXXXX)
  0x56: (vm) =>
    vm.push(
      vm.line().replace(
        /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
        (_, h4, h8) => String.fromCodePoint(parseInt(h4 ?? h8, 16)),
      ),
    ),
  0x42: (vm) => vm.push(vm.take(vm.u32()).slice()), // BINBYTES
  0x43: (vm) => vm.push(vm.take(vm.u8()).slice()), // SHORT_BINBYTES
  0x8e: (vm) => vm.push(vm.take(vm.u64()).slice()), // BINBYTES8
  0x96: (vm) => vm.push(vm.take(vm.u64()).slice()), // BYTEARRAY8
};

/** Lists, tuples, dicts and sets: building them and adding to them. */
const CONTAINER_OPS: Readonly<Record<number, OpHandler>> = {
  0x5d: (vm) => vm.push([]), // EMPTY_LIST
  0x29: (vm) => vm.push([]), // EMPTY_TUPLE
  0x7d: (vm) => vm.push(new Map()), // EMPTY_DICT
  0x8f: (vm) => vm.push(new Set()), // EMPTY_SET
  0x6c: (vm) => vm.push(vm.popMark()), // LIST
  0x74: (vm) => vm.push(vm.popMark()), // TUPLE
  0x85: (vm) => vm.push([vm.pop()]), // TUPLE1
  0x86: (vm) => { // TUPLE2
    const b = vm.pop();
    vm.push([vm.pop(), b]);
  },
  0x87: (vm) => { // TUPLE3
    const c = vm.pop();
    const b = vm.pop();
    vm.push([vm.pop(), b, c]);
  },
  0x64: (vm) => { // DICT
    const m = new Map();
    setItems(vm, m, vm.popMark());
    vm.push(m);
  },
  0x91: (vm) => vm.push(new Set(vm.popMark())), // FROZENSET
  0x61: (vm) => { // APPEND
    const v = vm.pop();
    appendItems(vm, vm.top(), [v]);
  },
  0x65: (vm) => appendItems(vm, ...popMarkUnderTop(vm)), // APPENDS
  0x90: (vm) => appendItems(vm, ...popMarkUnderTop(vm)), // ADDITEMS
  0x73: (vm) => { // SETITEM
    const v = vm.pop();
    const k = vm.pop();
    setItems(vm, vm.top(), [k, v]);
  },
  0x75: (vm) => setItems(vm, ...popMarkUnderTop(vm)), // SETITEMS
};

/** Storing stack items in the memo and fetching them back. */
const MEMO_OPS: Readonly<Record<number, OpHandler>> = {
  0x71: (vm) => vm.memo.set(vm.u8(), vm.top()), // BINPUT
  0x72: (vm) => vm.memo.set(vm.u32(), vm.top()), // LONG_BINPUT
  0x70: (vm) => vm.memo.set(parseInt(vm.line(), 10), vm.top()), // PUT
  0x94: (vm) => vm.memo.set(vm.memo.size, vm.top()), // MEMOIZE
  0x68: (vm) => pushMemo(vm, vm.u8()), // BINGET
  0x6a: (vm) => pushMemo(vm, vm.u32()), // LONG_BINGET
  0x67: (vm) => pushMemo(vm, parseInt(vm.line(), 10)), // GET
};

/** Globals, calls, object state and persistent ids: where `options`' hooks come in. */
const OBJECT_OPS: Readonly<Record<number, OpHandler>> = {
  0x63: (vm) => { // GLOBAL
    const module = vm.line();
    vm.push(resolve(vm, module, vm.line()));
  },
  0x93: (vm) => { // STACK_GLOBAL
    const name = vm.pop();
    const module = vm.pop();
    if (typeof module !== "string" || typeof name !== "string") {
      vm.fail("STACK_GLOBAL needs two strings");
    }
    vm.push(resolve(vm, module as string, name as string));
  },
  0x52: callOp, // REDUCE
  0x81: callOp, // NEWOBJ
  0x92: (vm) => { // NEWOBJ_EX (kwargs are ignored: no state-dict class takes any)
    vm.pop();
    callOp(vm);
  },
  0x62: (vm) => { // BUILD
    const state = vm.pop();
    const obj = vm.top();
    if (obj instanceof PickleObject) obj.state = state;
    // Other targets (OrderedDict carrying `_metadata`, tensors) need no state here.
  },
  0x51: (vm) => persistent(vm, vm.pop()), // BINPERSID
  0x50: (vm) => persistent(vm, vm.line()), // PERSID
};

/** Every supported opcode's handler. */
const OPCODES: Readonly<Record<number, OpHandler>> = {
  ...CONTROL_OPS,
  ...NUMBER_OPS,
  ...STRING_OPS,
  ...CONTAINER_OPS,
  ...MEMO_OPS,
  ...OBJECT_OPS,
};

/** The items above the innermost MARK, after the container below the mark they go into. */
function popMarkUnderTop(vm: PickleMachine): [unknown, unknown[]] {
  const items = vm.popMark();
  return [vm.top(), items];
}

/** Memo entry `k` onto the stack. */
function pushMemo(vm: PickleMachine, k: number): void {
  if (!vm.memo.has(k)) vm.fail(`memo key ${k} not defined`);
  vm.push(vm.memo.get(k));
}

/** REDUCE / NEWOBJ: calls the callable under the argument tuple with it. */
function callOp(vm: PickleMachine): void {
  const args = vm.pop();
  const fn = vm.pop();
  vm.push(call(vm, fn, args));
}

/** A global: the caller's `findClass`, else a builtin, else an inert {@link PickleGlobal}. */
function resolve(vm: PickleMachine, module: string, name: string): unknown {
  return vm.options.findClass?.(module, name) ?? BUILTINS[`${module}.${name}`] ??
    new PickleGlobal(module, name);
}

/** A resolved global called with `args`, or an unresolved one recorded as a {@link PickleObject}. */
function call(vm: PickleMachine, fn: unknown, args: unknown): unknown {
  if (!Array.isArray(args)) vm.fail("call arguments are not a tuple");
  if (typeof fn === "function") return (fn as PickleCallable)(args as unknown[]);
  if (fn instanceof PickleGlobal) return new PickleObject(fn, args as unknown[]);
  return vm.fail(`cannot call ${describe(fn)}`);
}

/** PERSID / BINPERSID: the caller's `persistentLoad` resolves the id. */
function persistent(vm: PickleMachine, pid: unknown): void {
  if (!vm.options.persistentLoad) vm.fail("persistent id without a persistentLoad hook");
  vm.push(vm.options.persistentLoad!(pid));
}

/** SETITEM(S): key, value pairs of `kv` into the dict `target`. */
function setItems(vm: PickleMachine, target: unknown, kv: unknown[]): void {
  if (!(target instanceof Map)) vm.fail(`SETITEM(S) on ${describe(target)}`);
  for (let i = 0; i + 1 < kv.length; i += 2) {
    (target as Map<unknown, unknown>).set(kv[i], kv[i + 1]);
  }
}

/** APPEND(S) / ADDITEMS: `items` onto the list or set `target`. */
function appendItems(vm: PickleMachine, target: unknown, items: unknown[]): void {
  if (Array.isArray(target)) target.push(...items);
  else if (target instanceof Set) { for (const x of items) target.add(x); }
  else vm.fail(`APPEND(S) on ${describe(target)}`);
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
