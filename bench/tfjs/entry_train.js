// Entry point of the dev-only TF.js training bundle (see build_train.sh): tfjs-core's ES-module
// sources with every gradient registered (tfjs-core alone registers none; the `@tensorflow/tfjs`
// union package does this import), plus the WebGPU backend, which registers itself as "webgpu".
export * from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
import "@tensorflow/tfjs-backend-webgpu";
