import assert from "node:assert/strict";
import { resolveStaticPath, serveStatic } from "../../../src/io/deno/static_server.ts";

Deno.test("static server: paths stay inside the root", () => {
  assert.equal(resolveStaticPath("/srv/web/", "/"), "/srv/web/index.html");
  assert.equal(resolveStaticPath("/srv/web", "/app.js"), "/srv/web/app.js");
  assert.equal(resolveStaticPath("/srv/web", "/a/./b.css"), "/srv/web/a/b.css");
  assert.equal(resolveStaticPath("/srv/web", "/../etc/passwd"), null);
  assert.equal(resolveStaticPath("/srv/web", "/%2e%2e/etc/passwd"), null);
  assert.equal(resolveStaticPath("/srv/web", "/%E0%A4%A"), null);
});

Deno.test("static server: serves files with types and COOP/COEP on 127.0.0.1, 404 and 405", async () => {
  const root = await Deno.makeTempDir();
  await Deno.writeTextFile(`${root}/index.html`, "<p>hi</p>");
  await Deno.writeTextFile(`${root}/app.js`, "export {};");
  const s = await serveStatic({ root });
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(s.url);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(await page.text(), "<p>hi</p>");
    // Cross-origin isolation (SharedArrayBuffer for the CPU worker pool), on every response.
    assert.equal(page.headers.get("cross-origin-opener-policy"), "same-origin");
    assert.equal(page.headers.get("cross-origin-embedder-policy"), "require-corp");
    const js = await fetch(`${s.url}app.js`);
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    await js.body?.cancel();
    const missing = await fetch(`${s.url}nope.txt`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("cross-origin-embedder-policy"), "require-corp");
    await missing.body?.cancel();
    const post = await fetch(s.url, { method: "POST" });
    assert.equal(post.status, 405);
    await post.body?.cancel();
  } finally {
    await s.close();
    await Deno.remove(root, { recursive: true });
  }
});
