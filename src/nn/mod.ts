/**
 * Neural-network building blocks: modules, layers, initialisers, AdamW, clipping, schedules.
 * @module
 */
export { type InitOptions, normalInit, onesInit, uniformInit, zerosInit } from "./init.ts";
export { Dropout, Embedding, LayerNorm, Linear, type LinearOptions } from "./layers.ts";
export { type HostTensor, Module } from "./module.ts";
export { AdamW, type AdamWOptions, type AdamWState, bertNoDecay } from "./optim/adamw.ts";
export { clipGradNorm } from "./optim/clip.ts";
export { linearWarmupDecay } from "./optim/schedule.ts";
