/**
 * The generated demo corpus and demo BERT, and the browser page's tagger workbench (no DOM or
 * runtime API, so it runs in Deno too).
 * @module
 */
export * from "./browser_session.ts";
export * from "./demo_corpus.ts";
export * from "./demo_model.ts";
