// Pickle VM against Python's own pickles of plain data, protocols 0-5
// (pickle_cases.json from tools/bert_checkpoint_fixture.py).
import assert from "node:assert/strict";
import { PickleGlobal, PickleObject, unpickle } from "../../src/bert/torch_pickle.ts";
import { CheckpointFormatError } from "../../src/bert/errors.ts";

const fixture = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/bert/pickle_cases.json", import.meta.url)),
) as { expected: unknown; cases: { protocol: number; b64: string }[] };

/** Same canonical JSON form as tools/bert_checkpoint_fixture.py `canonical`. */
function canonical(v: unknown): unknown {
  if (v === null || typeof v === "boolean" || typeof v === "string" || typeof v === "number") {
    return v;
  }
  if (typeof v === "bigint") return { __int__: v.toString() };
  if (v instanceof Uint8Array) return { __bytes__: [...v] };
  if (Array.isArray(v)) return v.map(canonical);
  if (v instanceof Set) {
    return {
      __set__: [...v].map(canonical).sort((
        a,
        b,
      ) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    };
  }
  if (v instanceof Map) return { __dict__: [...v].map(([k, x]) => [canonical(k), canonical(x)]) };
  throw new Error(`unexpected value ${String(v)}`);
}

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

for (const c of fixture.cases) {
  Deno.test(`pickle VM: protocol ${c.protocol} plain data equals Python's`, () => {
    assert.deepEqual(canonical(unpickle(b64(c.b64))), fixture.expected);
  });
}

Deno.test("pickle VM: memoized objects keep their identity", () => {
  const v = unpickle(b64(fixture.cases[2].b64)) as Map<string, unknown>;
  const memo = v.get("memo") as unknown[];
  assert.equal(memo[0], memo[1]);
});

Deno.test("pickle VM: unknown globals stay inert; bad input names the opcode", () => {
  // protocol 2: GLOBAL 'os system', (BINUNICODE 'x',) REDUCE, STOP
  const enc = new TextEncoder();
  const prog = new Uint8Array([
    0x80,
    2,
    ...enc.encode("cos\nsystem\n"),
    0x58,
    1,
    0,
    0,
    0,
    0x78,
    0x85,
    0x52,
    0x2e,
  ]);
  const v = unpickle(prog);
  assert.ok(v instanceof PickleObject);
  assert.equal(v.cls.qualifiedName, "os.system");
  assert.deepEqual(v.args, ["x"]);
  assert.ok(new PickleGlobal("a", "b").qualifiedName === "a.b");
  assert.throws(
    () => unpickle(new Uint8Array([0x80, 2, 0xff]), { source: "bad.pkl" }),
    (e: unknown) =>
      e instanceof CheckpointFormatError &&
      /^bad\.pkl: pickle opcode 0xff at byte 2: unsupported/.test(e.message),
  );
  assert.throws(() => unpickle(new Uint8Array([0x80, 2, 0x58, 9, 0, 0, 0, 0x61])), /truncated/);
  assert.throws(() => unpickle(new Uint8Array([0x80, 2, 0x68, 5, 0x2e])), /memo key 5 not defined/);
});
