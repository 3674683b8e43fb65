/**
 * The small template language of the parametrised shaders in shaders/*.wgsl (matmul variants,
 * scalar or vec4 element-wise kernels): placeholders, `//#if` flags and textual `//#for` unrolling.
 * Pure module (no Deno API, no GPU calls).
 * @module
 */

/** Thrown when a WGSL template is malformed or refers to an undefined constant or flag. */
export class WgslTemplateError extends Error {
  /** @param message what is wrong, naming the template and line */
  constructor(message: string) {
    super(message);
    this.name = "WgslTemplateError";
  }
}

type TemplateNode =
  | { kind: "text"; text: string; line: number }
  | {
    kind: "if";
    flag: string;
    negate: boolean;
    then: TemplateNode[];
    else: TemplateNode[];
    line: number;
  }
  | { kind: "for"; name: string; count: string; body: TemplateNode[]; line: number };

/**
 * Expands the tiny template language of shaders/*.wgsl:
 * - `{{NAME}}` is replaced by `consts[NAME]` (or the current value of a `//#for` index);
 * - `//#if FLAG`, `//#if !FLAG`, `//#else`, `//#endif` keep or drop lines by `flags[FLAG]`;
 * - `//#for i 0 COUNT` ... `//#endfor` repeats the lines for i = 0 .. COUNT-1 (COUNT is a literal or
 *   a constant name), with `{{i}}` replaced inside.
 * Every flag and constant used must be given; anything unknown throws WgslTemplateError (unknown
 * placeholders are left alone in comment-only lines, which may document them).
 *
 * @param src template text
 * @param consts values of `{{NAME}}` placeholders
 * @param flags values of `//#if` flags
 * @param name template name used in error messages
 * @returns the expanded WGSL
 */
export function expandWgslTemplate(
  src: string,
  consts: Readonly<Record<string, number | string>>,
  flags: Readonly<Record<string, boolean>>,
  name = "template",
): string {
  const lines = src.split("\n");
  let pos = 0;
  const parse = (terminators: string[]): { nodes: TemplateNode[]; end: string } => {
    const nodes: TemplateNode[] = [];
    while (pos < lines.length) {
      const line = lines[pos];
      const lineNo = ++pos;
      const trimmed = line.trim();
      if (!trimmed.startsWith("//#")) {
        nodes.push({ kind: "text", text: line, line: lineNo });
        continue;
      }
      const words = trimmed.slice(3).trim().split(/\s+/);
      const keyword = words[0];
      if (terminators.includes(keyword)) return { nodes, end: keyword };
      if (keyword === "if" && words.length === 2) {
        const negate = words[1].startsWith("!");
        const flag = negate ? words[1].slice(1) : words[1];
        const first = parse(["else", "endif"]);
        const second = first.end === "else" ? parse(["endif"]).nodes : [];
        nodes.push({ kind: "if", flag, negate, then: first.nodes, else: second, line: lineNo });
      } else if (keyword === "for" && words.length === 4 && words[2] === "0") {
        const body = parse(["endfor"]);
        nodes.push({
          kind: "for",
          name: words[1],
          count: words[3],
          body: body.nodes,
          line: lineNo,
        });
      } else {
        throw new WgslTemplateError(
          `${name}:${lineNo}: unknown or misplaced directive "${trimmed}"`,
        );
      }
    }
    if (terminators.length > 0) {
      throw new WgslTemplateError(
        `${name}: missing //#${terminators.join(" or //#")} at end of file`,
      );
    }
    return { nodes, end: "" };
  };
  const tree = parse([]).nodes;
  const out: string[] = [];
  const render = (nodes: TemplateNode[], env: Record<string, number | string>) => {
    for (const node of nodes) {
      if (node.kind === "text") {
        // Comment lines document the placeholders: they are kept as written (a multi-line value
        // substituted there would turn its later lines into code).
        if (node.text.trim().startsWith("//")) {
          out.push(node.text);
          continue;
        }
        out.push(node.text.replace(/\{\{(\w+)\}\}/g, (_whole: string, key: string) => {
          const value = env[key] ?? consts[key];
          if (value === undefined) {
            throw new WgslTemplateError(`${name}:${node.line}: undefined placeholder {{${key}}}`);
          }
          return String(value);
        }));
      } else if (node.kind === "if") {
        const value = flags[node.flag];
        if (value === undefined) {
          throw new WgslTemplateError(`${name}:${node.line}: undefined flag ${node.flag}`);
        }
        render(value !== node.negate ? node.then : node.else, env);
      } else {
        const count = /^\d+$/.test(node.count) ? Number(node.count) : consts[node.count];
        if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
          throw new WgslTemplateError(`${name}:${node.line}: bad //#for count ${node.count}`);
        }
        for (let i = 0; i < count; i++) render(node.body, { ...env, [node.name]: i });
      }
    }
  };
  render(tree, {});
  return out.join("\n");
}
