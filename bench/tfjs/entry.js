// Entry point of the dev-only TF.js bundle (see build.sh): tfjs-core's ES-module sources plus the
// WebGPU backend, which registers itself as "webgpu" on import.
export * from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-webgpu";
