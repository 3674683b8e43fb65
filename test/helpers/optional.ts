/**
 * Optional system components of the test suite (OpenBLAS, Chromium, the MiniLM download, Node.js,
 * Python with torch and transformers, a WebGPU adapter with shader-f16). A test that needs one passes `ignore: without(component, present)`:
 * on a machine without it the test is reported as ignored, and `deno task test`
 * (tools/run_tests.ts) ends with one line naming every missing component and the command that
 * installs it. `JOINTAG_STRICT=1` (set by .ci/run after installing them) turns each missing
 * component into a failing test instead, so CI cannot go green on a partial machine.
 *
 * Per test module, a missing component is also noted once on stderr, for `deno test <file>` runs.
 * @module
 */

/** The optional components and how to install each (Debian commands, as in .ci/run). */
export const COMPONENTS = {
  openblas: { what: "OpenBLAS", install: "apt install libopenblas0-pthread" },
  chromium: { what: "Chromium (/usr/bin/chromium)", install: "apt install chromium" },
  minilm: {
    what: "the all-MiniLM-L6-v2 checkpoint",
    install: "export JOINTAG_MINILM_DIR=$(tools/fetch_minilm.sh)",
  },
  node: { what: "Node.js 20 or later (node on PATH)", install: "apt install nodejs" },
  transformers: {
    what: "python3 with torch and transformers (or JOINTAG_PYTHON naming one)",
    install: "pip install torch==2.13.0 transformers",
  },
  f16: {
    what: "a WebGPU adapter with shader-f16 (Mesa's GL adapter lacks it)",
    install: "apt install mesa-vulkan-drivers",
  },
} as const;

/** Name of an optional component. */
export type Component = keyof typeof COMPONENTS;

/** Environment variable naming the file tools/run_tests.ts collects skips in (JSON lines). */
export const SKIP_LOG_ENV = "JOINTAG_SKIP_LOG";

const noted = new Set<Component>();

function env(name: string): string | undefined {
  return Deno.permissions.querySync({ name: "env", variable: name }).state === "granted"
    ? Deno.env.get(name)
    : undefined;
}

/** Whether JOINTAG_STRICT=1 makes missing components fail. */
export function strict(): boolean {
  return env("JOINTAG_STRICT") === "1";
}

/**
 * The `ignore` value of a test that needs `component`: false when `present`, else true (and the
 * skip is recorded). Under JOINTAG_STRICT=1 the first absence in a module also registers a failing
 * test that names the component.
 * @param why what was looked for (shown in the note), e.g. the loader's message
 */
export function without(component: Component, present: unknown, why = ""): boolean {
  if (present) return false;
  const { what, install } = COMPONENTS[component];
  const log = env(SKIP_LOG_ENV);
  if (log) {
    Deno.writeTextFileSync(log, JSON.stringify({ component }) + "\n", { append: true });
  }
  if (!noted.has(component)) {
    noted.add(component);
    if (strict()) {
      Deno.test(`required component (JOINTAG_STRICT=1): ${what}`, () => {
        throw new Error(`${what} is missing${why ? ` (${why})` : ""}: ${install}`);
      });
    } else if (!log) {
      console.error(`skipping tests that need ${what}${why ? ` (${why})` : ""}: ${install}`);
    }
  }
  return true;
}

/** The one summary line for the skips in a log (JSON lines of {component}), or null if none. */
export function skipSummary(logText: string): string | null {
  const counts = new Map<Component, number>();
  for (const line of logText.split("\n")) {
    if (!line.trim()) continue;
    const c = JSON.parse(line).component as Component;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  if (counts.size === 0) return null;
  const parts = [...counts].map(([c, n]) =>
    `${COMPONENTS[c].what}: ${n} test${n === 1 ? "" : "s"} (${COMPONENTS[c].install})`
  );
  return `skipped for missing optional components — ${parts.join("; ")}`;
}
