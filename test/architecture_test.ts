/**
 * The layering of src/ as the README's layout section states it, checked on the import
 * statements: core (with the kernel contract) → ops and backends (neither imports the other) →
 * nn → bert → tagging, the runtime-neutral io/ beside them, io/web/ (the Web-standard CPU
 * worker pool, which runs the backend's kernels) above the backends, and io/deno/ (the only Deno
 * code) on top; no runtime import cycle anywhere in src/.
 * @module
 */
import assert from "node:assert/strict";

/** Which other parts of src/ each part may import from. */
const ALLOWED: Record<string, readonly string[]> = {
  generated: [],
  core: [],
  ops: ["core"],
  backend: ["core", "generated"],
  nn: ["core", "ops"],
  io: [],
  bert: ["core", "ops", "nn", "io"],
  tagging: ["core", "ops", "nn", "bert", "io"],
  "io/web": ["core", "backend"],
  "io/deno": ["core", "backend", "nn", "bert", "tagging", "io", "io/web", "generated"],
};

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...await sourceFiles(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Relative imports and re-exports of every file under src/, resolved to src/… paths. */
async function imports(): Promise<Import[]> {
  const out: Import[] = [];
  for (const file of await sourceFiles("src")) {
    const text = await Deno.readTextFile(file);
    const re = /^(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+"(\.[^"]+)"/gms;
    for (const m of text.matchAll(re)) {
      const names = m[2].match(/^\{([^}]*)\}$/)?.[1].split(",").map((s) => s.trim()).filter((s) =>
        s
      );
      const typeOnly = m[1] !== undefined || (names?.every((n) => n.startsWith("type ")) ?? false);
      const to = new URL(m[3], `file:///${file}`).pathname.slice(1);
      out.push({ from: file, to, typeOnly });
    }
  }
  return out;
}

/** The part of src/ a file belongs to: its first folder, io/deno and io/web each on their own. */
function part(file: string): string {
  const [, top, sub] = file.split("/");
  return top === "io" && (sub === "deno" || sub === "web") ? `io/${sub}` : top;
}

const all = await imports();

Deno.test("architecture: every import in src/ goes to the same or a lower layer", () => {
  const wrong = all.filter((i) => {
    const [a, b] = [part(i.from), part(i.to)];
    return a !== b && !(ALLOWED[a] ?? []).includes(b);
  }).map((i) => `${i.from} → ${i.to}`);
  assert.deepEqual(wrong, []);
  const parts = new Set(all.map((i) => part(i.from)));
  for (const p of parts) assert.ok(p in ALLOWED, `src/${p}: no layer rule`);
});

Deno.test("architecture: no runtime import cycle in src/", () => {
  const graph = new Map<string, string[]>();
  for (const i of all) {
    if (!i.typeOnly) graph.set(i.from, [...graph.get(i.from) ?? [], i.to]);
  }
  // Depth-first search; a grey node met again closes a cycle.
  const state = new Map<string, "grey" | "black">();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]) => {
    state.set(f, "grey");
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === "grey") cycles.push([...path.slice(path.indexOf(g)), g].join(" → "));
      else if (!state.has(g)) visit(g, [...path, g]);
    }
    state.set(f, "black");
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f, [f]);
  assert.deepEqual(cycles, []);
});

Deno.test("architecture: Deno APIs only in src/io/deno/", async () => {
  const users: string[] = [];
  for (const file of await sourceFiles("src")) {
    if (part(file) === "io/deno" || part(file) === "generated") continue;
    const code = (await Deno.readTextFile(file)).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    if (/\bDeno\.[a-zA-Z]/.test(code)) users.push(file);
  }
  assert.deepEqual(users, []);
});
