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
let pulls = 0;
const stream = new ReadableStream<Uint8Array>({
  async pull(c) {
    if (pulls++ === 0) return c.enqueue(new Uint8Array(1 << 20).fill(65));
    // The first chunk is on its way to the temp file: report once it has landed, then stall.
    while (!tempHasData()) await new Promise((r) => setTimeout(r, 5));
    console.log("midwrite");
    await new Promise(() => {}); // never delivers the rest
  },
});
// Deno.writeFile accepts a stream: the same code path as a slow, large checkpoint write.
await fs.writeFileAtomic(target, stream as unknown as Uint8Array);
