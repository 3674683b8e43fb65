/**
 * The library bundles for the browser: `deno bundle --platform browser mod.ts` succeeds, inlines
 * the WGSL shaders, and the bundle uses no Deno API.
 */
import assert from "node:assert/strict";

Deno.test("mod.ts bundles for the browser with no Deno API", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/jointag.js`;
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "browser", "-o", out, "mod.ts"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
  const js = await Deno.readTextFile(out);
  assert.ok(!/\bDeno\./.test(js), "the bundle mentions Deno.");
  assert.ok(js.includes("@compute"), "WGSL shaders are not inlined");
  assert.ok(js.includes("class BertModel") || js.includes("BertModel"), "BertModel missing");
  await Deno.remove(dir, { recursive: true });
});
