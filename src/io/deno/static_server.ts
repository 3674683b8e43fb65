/**
 * A small static file server for the browser page, bound to 127.0.0.1 only (a page that trains
 * models needs no outside visitors). WebGPU needs a secure context, which `http://127.0.0.1` is.
 * Every response carries COOP `same-origin` and COEP `require-corp` ({@link ISOLATION_HEADERS}),
 * which make the page cross-origin isolated: only then may it share memory (SharedArrayBuffer)
 * with the CPU worker pool, so that its CPU fallback runs on every core, not one.
 *
 *   deno run --allow-read --allow-net=127.0.0.1 src/io/deno/static_server.ts [root] [port]
 *
 * Defaults: root dist/web, port 8000 (0 picks a free one).
 * @module
 */

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  wasm: "application/wasm",
  txt: "text/plain; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  safetensors: "application/octet-stream",
  svg: "image/svg+xml",
  png: "image/png",
};

/**
 * Headers that make a page cross-origin isolated (`crossOriginIsolated`), as SharedArrayBuffer
 * requires. Sent on every response: a worker script (dedicated workers take their own policy from
 * it) and the page alike. Everything the page loads is same-origin, so `require-corp` blocks
 * nothing of ours.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/** A running server. */
export interface StaticServer {
  /** Base URL, e.g. `http://127.0.0.1:8000/`. */
  url: string;
  /** The port listened on (the one the system chose when 0 was asked for). */
  port: number;
  /** Stops the server and waits until it has. */
  close(): Promise<void>;
}

/** Options of {@link serveStatic}. */
export interface StaticServerOptions {
  /** Folder to serve. */
  root: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** Called once per request with method, path and status. */
  onRequest?: (method: string, path: string, status: number) => void;
}

/** Maps a URL path to a file under `root`, or null when it would leave `root`. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let p: string;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === ".." || seg.includes("\\") || seg.includes("\0")) return null;
    parts.push(seg);
  }
  if (p.endsWith("/") || parts.length === 0) parts.push("index.html");
  return `${root.replace(/\/+$/, "")}/${parts.join("/")}`;
}

/** Serves `root` on 127.0.0.1. */
export function serveStatic(o: StaticServerOptions): Promise<StaticServer> {
  const root = o.root;
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: o.port ?? 0,
      onListen: ({ port }) => {
        resolve({
          url: `http://127.0.0.1:${port}/`,
          port,
          close: () => server.shutdown(),
        });
      },
    }, async (req) => {
      const path = new URL(req.url).pathname;
      const res = await respond(root, req.method, path);
      o.onRequest?.(req.method, path, res.status);
      return res;
    });
  });
}

async function respond(root: string, method: string, path: string): Promise<Response> {
  const res = await respondPlain(root, method, path);
  for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.headers.set(k, v);
  return res;
}

async function respondPlain(root: string, method: string, path: string): Promise<Response> {
  if (method !== "GET" && method !== "HEAD") {
    return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
  }
  const file = resolveStaticPath(root, path);
  if (!file) return new Response("bad path\n", { status: 400 });
  try {
    const stat = await Deno.stat(file);
    if (!stat.isFile) return new Response("not found\n", { status: 404 });
    const ext = file.slice(file.lastIndexOf(".") + 1).toLowerCase();
    const headers = {
      "content-type": TYPES[ext] ?? "application/octet-stream",
      "content-length": String(stat.size),
      "cache-control": "no-store",
    };
    if (method === "HEAD") return new Response(null, { headers });
    return new Response(await Deno.readFile(file), { headers });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return new Response("not found\n", { status: 404 });
    throw e;
  }
}

if (import.meta.main) {
  const root = Deno.args[0] ?? "dist/web";
  const port = Number(Deno.args[1] ?? 8000);
  const s = await serveStatic({
    root,
    port,
    onRequest: (m, p, status) => console.log(`${status} ${m} ${p}`),
  });
  console.log(`serving ${root} at ${s.url} (Ctrl-C to stop)`);
}
