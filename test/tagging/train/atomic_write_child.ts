/**
 * Child process of checkpoint_atomic_test.ts: writes `old` to the target atomically, then starts a
 * second atomic write whose data never finishes arriving, and says so on stdout; the parent kills
 * it there (a crash mid-write).
 * @module
 */
import { DenoFileSystem } from "../../../src/io/deno/fs.ts";

const [target] = Deno.args;
const fs = new DenoFileSystem();
await fs.writeFileAtomic(target, "old checkpoint\n");
const dir = target.slice(0, target.lastIndexOf("/"));
const tempHasData = () =>
  [...Deno.readDirSync(dir)].some((e) =>
    e.name.endsWith(".tmp") && Deno.statSync(`${dir}/${e.name}`).size > 0
  );
/** One megabyte, then (once it is in the temp file) a report and a stall: a crash mid-write. */
async function* stalled(): AsyncGenerator<Uint8Array> {
  yield new Uint8Array(1 << 20).fill(65);
  while (!tempHasData()) await new Promise((r) => setTimeout(r, 5));
  console.log("midwrite");
  await new Promise(() => {}); // never delivers the rest
}
// Parts as they come: the same code path as a large checkpoint written tensor by tensor.
await fs.writeFileAtomic(target, stalled());
