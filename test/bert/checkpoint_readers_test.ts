// Checkpoint readers against files written by torch / transformers / safetensors
// (tools/bert_checkpoint_fixture.py). Values must equal torch's bit for bit.
import assert from "node:assert/strict";
import {
  readSafetensors,
  readSafetensorsHeader,
  writeSafetensors,
} from "../../src/bert/safetensors.ts";
import { readPytorchBin } from "../../src/bert/pytorch_bin.ts";
import { CheckpointFormatError } from "../../src/bert/errors.ts";
import { floatToHalf, halfToFloat } from "../../src/bert/dtype_convert.ts";
import type { WeightMap } from "../../src/bert/weights.ts";

const FIX = new URL("../fixtures/bert/", import.meta.url);
const read = (p: string) => Deno.readFileSync(new URL(p, FIX));
type Stats = { shape: number[]; sum: number; abs_sum: number; samples: [number, number][] };
const expected = JSON.parse(new TextDecoder().decode(read("tiny_bert_expected.json"))) as {
  tensors: Record<string, Stats>;
  f16: Record<string, Stats>;
  bf16: Record<string, Stats>;
  param_order: string[];
};

function checkAgainst(weights: WeightMap, stats: Record<string, Stats>) {
  assert.deepEqual([...weights.keys()].sort(), Object.keys(stats).sort());
  for (const [name, s] of Object.entries(stats)) {
    const w = weights.get(name)!;
    assert.equal(w.dtype, "f32");
    assert.deepEqual(w.shape, s.shape, name);
    for (const [i, v] of s.samples) assert.equal(w.data[i], v, `${name}[${i}]`);
    let sum = 0, abs = 0;
    for (const x of w.data) (sum += x), (abs += Math.abs(x));
    assert.ok(
      Math.abs(sum - s.sum) <= 1e-9 * Math.max(1, s.abs_sum),
      `${name} sum ${sum} vs ${s.sum}`,
    );
    assert.ok(Math.abs(abs - s.abs_sum) <= 1e-9 * Math.max(1, s.abs_sum), `${name} abs sum`);
  }
}

function assertSameWeights(a: WeightMap, b: WeightMap) {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [k, w] of a) {
    assert.deepEqual(w.shape, b.get(k)!.shape, k);
    assert.deepEqual(w.data, b.get(k)!.data, k);
  }
}

Deno.test("safetensors F32 written by transformers: names, shapes and values equal torch's", () => {
  const w = readSafetensors(read("tiny_bert/model.safetensors"));
  checkAgainst(w, expected.tensors);
  const header = readSafetensorsHeader(read("tiny_bert/model.safetensors"));
  assert.equal(header.metadata.format, "pt");
  assert.equal(header.dataStart % 8, 0);
});

Deno.test("safetensors F16 and BF16 are widened exactly to float32", () => {
  checkAgainst(readSafetensors(read("tiny_bert/model_f16.safetensors")), expected.f16);
  checkAgainst(readSafetensors(read("tiny_bert/model_bf16.safetensors")), expected.bf16);
});

Deno.test("pytorch_model.bin (torch.save zip) equals the safetensors copy", () => {
  const bin = readPytorchBin(read("tiny_bert/pytorch_model.bin"));
  assert.deepEqual([...bin.keys()], expected.param_order, "state_dict order is kept");
  assertSameWeights(bin, readSafetensors(read("tiny_bert/model.safetensors")));
});

Deno.test("pytorch bin: storage offsets, strides, half/bf16/long storages, scalars, zip64", () => {
  const want = JSON.parse(new TextDecoder().decode(read("strided_expected.json"))) as Record<
    string,
    { shape: number[]; values: number[] }
  >;
  for (const file of ["strided.bin", "zip64.bin"]) {
    const w = readPytorchBin(read(file), file);
    assert.deepEqual([...w.keys()].sort(), Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) {
      assert.deepEqual(w.get(k)!.shape, v.shape, `${file} ${k} shape`);
      assert.deepEqual([...w.get(k)!.data], v.values, `${file} ${k} values`);
    }
  }
});

Deno.test("pytorch bin: legacy non-zip format is rejected with an explanation", () => {
  assert.throws(
    () => readPytorchBin(read("legacy.bin"), "legacy.bin"),
    (e: unknown) =>
      e instanceof CheckpointFormatError && /legacy.bin/.test(e.message) &&
      /legacy \(pre-PyTorch-1\.6\)/.test(e.message),
  );
});

Deno.test("pytorch bin: a state dict nested under 'state_dict' is found, with a notice", () => {
  const notices: string[] = [];
  const w = readPytorchBin(read("wrapped.bin"), "wrapped.bin", {
    onNotice: (m) => notices.push(m),
  });
  assert.deepEqual([...w.get("w")!.data], [0, 1, 2]);
  assert.match(notices.join("\n"), /nested "state_dict"/);
});

Deno.test("pytorch bin: truncated archive fails with the file name", () => {
  const bytes = read("tiny_bert/pytorch_model.bin");
  assert.throws(
    () => readPytorchBin(bytes.subarray(0, bytes.length - 100), "cut.bin"),
    (e: unknown) => e instanceof CheckpointFormatError && e.message.startsWith("cut.bin:"),
  );
});

Deno.test("safetensors writer: 8-byte aligned header, sorted names, round trip", () => {
  const w = readSafetensors(read("tiny_bert/model.safetensors"));
  const bytes = writeSafetensors(w);
  const header = readSafetensorsHeader(bytes);
  assert.equal(header.dataStart % 8, 0);
  assert.deepEqual(header.metadata, { format: "pt" });
  assert.deepEqual([...header.tensors.keys()], [...w.keys()].sort());
  for (const info of header.tensors.values()) assert.equal(info.dataOffsets[0] % 4, 0);
  assertSameWeights(readSafetensors(bytes), w);
  // transformers writes the same layout: our output is byte-identical for the same tensors.
  assert.deepEqual(bytes, read("tiny_bert/model.safetensors"));
});

Deno.test("safetensors reader: corrupt headers are reported with the tensor name", () => {
  const enc = (h: unknown, dataLen: number) => {
    const j = new TextEncoder().encode(JSON.stringify(h));
    const out = new Uint8Array(8 + j.length + dataLen);
    new DataView(out.buffer).setBigUint64(0, BigInt(j.length), true);
    out.set(j, 8);
    return out;
  };
  assert.throws(
    () =>
      readSafetensors(enc({ a: { dtype: "F32", shape: [2], data_offsets: [0, 12] } }, 12), "x.st"),
    /x\.st: tensor "a": 12 bytes for F32\[2\], expected 8/,
  );
  assert.throws(
    () =>
      readSafetensors(enc({ a: { dtype: "F32", shape: [4], data_offsets: [0, 16] } }, 8), "x.st"),
    /tensor "a": data_offsets \[0,16\] outside/,
  );
  assert.throws(
    () =>
      readSafetensors(enc({ a: { dtype: "C64", shape: [1], data_offsets: [0, 8] } }, 8), "x.st"),
    /unsupported dtype "C64"/,
  );
  assert.throws(() => readSafetensors(new Uint8Array(4), "tiny.st"), /tiny\.st: file too short/);
});

Deno.test("half conversion: round trip of every f16 bit pattern", () => {
  for (let h = 0; h < 65536; h++) {
    const f = halfToFloat(h);
    if (Number.isNaN(f)) continue;
    assert.equal(floatToHalf(f), h, `0x${h.toString(16)}`);
  }
  assert.equal(floatToHalf(65520), 0x7c00); // rounds to +inf
  assert.equal(floatToHalf(1 + 2 ** -11), 0x3c00); // tie to even
});
