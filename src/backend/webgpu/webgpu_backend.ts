/**
 * The WebGPU backend: tensors in GPU storage buffers, kernels as WGSL compute shaders (shaders/).
 *
 * - Recording: every kernel call appends a dispatch to one open compute pass; nothing is submitted
 *   until a value is read, `sync()` is awaited, or many dispatches are pending. A training step is
 *   therefore a handful of command buffers, and nothing is read back unless the caller reads.
 * - Memory: a size-keyed buffer pool; uniforms are cached by content (shapes repeat every step),
 *   pipelines by key. Reusing a freed buffer inside the same recording is safe because a queue runs
 *   work in order; host writes (`queue.writeBuffer`) would overtake recorded work, so the backend
 *   submits pending work before each write.
 * - Errors: device validation / out-of-memory errors and device loss are turned into
 *   `BackendError`s naming the kernels of the failing submission.
 * @module
 */
import type { DType, TypedArray } from "../../core/dtype.ts";
import { BackendError } from "../../core/errors.ts";
import type { Backend, Handle, MemoryInfo } from "../../core/backend.ts";
import { BufferPool } from "./buffer_pool.ts";
import type { Binding, Dispatch, GpuContext, GpuHandle, GpuKernel } from "./gpu_types.ts";
import { gpuKernels } from "./kernels/mod.ts";
import type { KernelAttrsMap, KernelName } from "../../core/kernel_contract.ts";

/** Free storage the pool keeps at the least (see the pool's limit in the constructor). */
const POOL_FLOOR_BYTES = 64 * 2 ** 20;

/** Options of `WebGPUBackend.create`. */
export interface WebGPUBackendOptions {
  /** Power preference passed to `requestAdapter`. */
  powerPreference?: GPUPowerPreference;
  /** Submit after this many recorded dispatches (default 256). */
  maxPendingDispatches?: number;
  /** An existing adapter (e.g. chosen by the caller). */
  adapter?: GPUAdapter;
  /**
   * Time every dispatch on the GPU with timestamp queries (needs the adapter's "timestamp-query"
   * feature) and keep totals per kernel, readable with `profile()`. Off by default: each dispatch
   * then gets its own compute pass.
   */
  profile?: boolean;
  /**
   * Matmul arithmetic: "f32" (default) or "f16" mixed precision — operands rounded to f16 and
   * multiplied in f16 with f32 sums, storage and everything else f32. "f16" needs the adapter's
   * `shader-f16` feature; `create` throws {@link WebGPUPrecisionError} without it.
   */
  precision?: "f32" | "f16";
}

/**
 * Options that force the backend's internal paths, for its tests and bench/profile_webgpu.ts: not
 * part of the library's API (mod.ts exports neither them nor
 * {@link createWebGPUBackendForTesting}).
 */
export interface WebGPUBackendTestOptions extends WebGPUBackendOptions {
  /** Split element-wise work so no binding exceeds this many bytes (tests the splitting path). */
  maxBindingBytes?: number;
  /**
   * Which kernel variants to run: "software" (for CPU adapters) or "gpu" (for real GPUs); default
   * from the adapter. Forcing "gpu" on a software adapter tests the GPU variants (slowly).
   */
  kernels?: "software" | "gpu";
}

/** Thrown by `WebGPUBackend.create` when f16 precision is asked of an adapter without shader-f16. */
export class WebGPUPrecisionError extends Error {
  /** @param adapter the adapter's description */
  constructor(adapter: string) {
    super(
      `precision f16 needs the WebGPU feature "shader-f16", which this adapter (${adapter}) ` +
        `lacks; use precision f32`,
    );
    this.name = "WebGPUPrecisionError";
  }
}

/** GPU time per kernel key, from timestamp queries. */
export interface KernelProfile {
  /** The dispatch's pipeline key (one shader variant). */
  key: string;
  /** The op that was running when the kernel was dispatched. */
  op: string;
  /** Dispatches measured. */
  count: number;
  /** GPU time of all of them, in milliseconds. */
  ms: number;
}

const UNIFORM_CACHE_LIMIT = 4096;
const STORAGE_USAGE = 0x80 | 0x4 | 0x8; // STORAGE | COPY_SRC | COPY_DST
const UNIFORM_USAGE = 0x40 | 0x8; // UNIFORM | COPY_DST
const MAP_READ_USAGE = 0x1 | 0x8; // MAP_READ | COPY_DST

/** The WebGPU backend. */
export class WebGPUBackend implements Backend, GpuContext {
  readonly name = "webgpu";
  readonly floatPrecision = "f32" as const;
  readonly limits: GPUSupportedLimits;
  /** Whether the adapter is a software (CPU) implementation: llvmpipe, SwiftShader. */
  readonly software: boolean;
  /**
   * Kernel variants for software adapters (the adapter's class unless
   * {@link WebGPUBackendTestOptions.kernels} overrides it).
   */
  readonly softwareKernels: boolean;
  readonly maxBindingBytes: number;
  readonly subgroupMaxSize?: number;
  /** Matmul arithmetic (see {@link WebGPUBackendOptions.precision}). */
  readonly precision: "f32" | "f16";
  /** Adapter description, for logs and benchmark output. */
  readonly adapterInfo: string;
  /** Dispatches recorded since creation (for benchmarks). */
  dispatchCount = 0;
  /** Submissions since creation. */
  submitCount = 0;

  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #pending: string[] = [];
  #pipelines = new Map<string, GPUComputePipeline>();
  #uniforms = new Map<string, GPUBuffer>();
  #retired: GPUBuffer[] = [];
  #pool: BufferPool<GPUBuffer>;
  #live = 0;
  #liveBytes = 0;
  #peak = 0;
  /** The most bytes tensors have held at once (unlike `#peak`, never reset). */
  #highWater = 0;
  #error: BackendError | null = null;
  #lost: string | null = null;
  #maxPending: number;
  #currentOp = "";
  #profiling: boolean;
  #querySet: GPUQuerySet | null = null;
  #queryKeys: [string, string][] = [];
  #profile = new Map<string, KernelProfile>();
  #profileReads: Promise<void>[] = [];

  private constructor(
    readonly device: GPUDevice,
    adapter: GPUAdapter,
    options: WebGPUBackendTestOptions,
  ) {
    this.limits = device.limits;
    const info = adapter.info;
    this.software = info.isFallbackAdapter === true ||
      /llvmpipe|lavapipe|swiftshader|software/i.test(
        `${info.description} ${info.architecture} ${info.device}`,
      );
    this.softwareKernels = options.kernels ? options.kernels === "software" : this.software;
    this.subgroupMaxSize = (info as GPUAdapterInfo & { subgroupMaxSize?: number }).subgroupMaxSize;
    this.adapterInfo = [info.vendor, info.architecture, info.description].filter((s) => s).join(
      " ",
    );
    this.precision = options.precision ?? "f32";
    this.#maxPending = options.maxPendingDispatches ?? 256;
    this.#profiling = (options.profile ?? false) && device.features.has("timestamp-query");
    this.maxBindingBytes = Math.min(
      options.maxBindingBytes ?? Infinity,
      device.limits.maxStorageBufferBindingSize,
    );
    // Evicted buffers may still be named by recorded, unsubmitted work: destroyed after the next
    // submit. The pool keeps at most the most bytes tensors ever held at once (evaluation's
    // batches of every length would otherwise leave a set of buffers per length class).
    this.#pool = new BufferPool<GPUBuffer>({
      create: (bytes) => this.#createStorage(bytes),
      bytesOf: (b) => b.size,
      destroy: (b) => this.#retired.push(b),
    }, POOL_FLOOR_BYTES);
    device.lost.then((i) => {
      this.#lost = `${i.reason}: ${i.message}`;
    });
    device.addEventListener("uncapturederror", (e) => {
      const err = (e as GPUUncapturedErrorEvent).error;
      this.#error ??= new BackendError("webgpu", this.#currentOp || "?", err.message);
    });
  }

  /** Requests an adapter and device (with the adapter's largest buffer limits). Null if no WebGPU. */
  static async create(options: WebGPUBackendOptions = {}): Promise<WebGPUBackend | null> {
    const gpu = (globalThis.navigator as Navigator & { gpu?: GPU })?.gpu;
    if (!gpu) return null;
    const adapter = options.adapter ??
      await gpu.requestAdapter({ powerPreference: options.powerPreference ?? "high-performance" });
    if (!adapter) return null;
    if (options.precision === "f16" && !adapter.features.has("shader-f16")) {
      const i = adapter.info;
      throw new WebGPUPrecisionError([i.vendor, i.description].filter((x) => x).join(" "));
    }
    const l = adapter.limits;
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        // Grouped AdamW binds 4 buffers per parameter: take what the adapter offers (up to 32).
        maxStorageBuffersPerShaderStage: Math.min(l.maxStorageBuffersPerShaderStage, 32),
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
        maxComputeWorkgroupSizeY: l.maxComputeWorkgroupSizeY,
      },
      requiredFeatures: (["shader-f16", "timestamp-query"] as GPUFeatureName[]).filter((f) =>
        adapter.features.has(f)
      ),
    });
    return new WebGPUBackend(device, adapter, options);
  }

  // ---- Backend interface -------------------------------------------------------------------

  alloc(dtype: DType, size: number, zero = false): Handle {
    this.#check("alloc");
    const bytes = Math.max(size, 1) * 4;
    const h: GpuHandle = { buffer: this.#pool.acquire(bytes), bytes, dtype };
    this.#count(h, 1);
    if (zero) this.run("fill", [], [h], { value: 0 });
    return h;
  }

  upload(dtype: DType, data: ArrayLike<number>): Handle {
    const h = this.alloc(dtype, data.length) as GpuHandle;
    const arr = dtype === "i32"
      ? (data instanceof Int32Array ? data : Int32Array.from(data))
      : (data instanceof Float32Array ? data : Float32Array.from(data));
    // A queue write overtakes recorded-but-unsubmitted work that may still read this (recycled)
    // buffer; submit that work first.
    this.flush();
    if (arr.length > 0) {
      this.device.queue.writeBuffer(h.buffer, 0, arr as Float32Array<ArrayBuffer>);
    }
    return h;
  }

  async read(handle: Handle, dtype: DType, size: number): Promise<TypedArray> {
    this.#check("read");
    const h = handle as GpuHandle;
    const bytes = size * 4;
    if (bytes === 0) return dtype === "i32" ? new Int32Array(0) : new Float32Array(0);
    const staging = this.device.createBuffer({
      size: Math.ceil(bytes / 4) * 4,
      usage: MAP_READ_USAGE,
    });
    this.#endPass();
    this.#encoderOrNew().copyBufferToBuffer(h.buffer, 0, staging, 0, bytes);
    this.flush();
    await staging.mapAsync(1 /* READ */);
    this.#check("read");
    const copy = staging.getMappedRange().slice(0);
    staging.unmap();
    staging.destroy();
    return dtype === "i32" ? new Int32Array(copy) : new Float32Array(copy);
  }

  free(handle: Handle): void {
    const h = handle as GpuHandle;
    this.#count(h, -1);
    this.#pool.release(h.buffer);
  }

  hasKernel(name: string): boolean {
    return name in gpuKernels;
  }

  run<K extends KernelName>(
    name: K,
    inputs: Handle[],
    outputs: Handle[],
    attrs: KernelAttrsMap[K],
  ): void {
    this.#check(name);
    const k: GpuKernel<K> | undefined = gpuKernels[name];
    if (!k) throw new BackendError(this.name, name, "no such kernel");
    this.#currentOp = name;
    k(this, inputs as GpuHandle[], outputs as GpuHandle[], attrs);
  }

  memory(): MemoryInfo {
    return {
      liveBuffers: this.#live,
      liveBytes: this.#liveBytes,
      pooledBytes: this.#pool.pooledBytes,
      peakBytes: this.#peak,
    };
  }

  resetPeak(): void {
    this.#peak = this.#liveBytes;
  }

  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.#check("sync");
  }

  dispose(): void {
    this.flush();
    this.#pool.clear();
    for (const b of this.#uniforms.values()) b.destroy();
    this.#uniforms.clear();
    this.device.destroy();
  }

  // ---- GpuContext (used by kernels) --------------------------------------------------------

  dispatch(d: Dispatch): void {
    const pipeline = this.#pipeline(d);
    const layout = pipeline.getBindGroupLayout(0);
    const entries: GPUBindGroupEntry[] = [];
    d.bindings.forEach((b, i) => {
      if (b === null) return;
      let resource: GPUBufferBinding;
      if (b instanceof Uint32Array) resource = { buffer: this.#uniform(b) };
      else if ("handle" in b) {
        resource = { buffer: b.handle.buffer, offset: b.offset, size: b.size };
      } else if (b.buffer.size <= this.maxBindingBytes) resource = { buffer: b.buffer };
      else if (b.bytes <= this.maxBindingBytes) resource = { buffer: b.buffer, size: b.bytes };
      else {
        throw new BackendError(
          "webgpu",
          this.#currentOp,
          `a ${b.bytes}-byte tensor exceeds the adapter's largest storage binding (${this.maxBindingBytes} bytes) in a kernel that cannot split it`,
        );
      }
      entries.push({ binding: i, resource });
    });
    const group = this.device.createBindGroup({ layout, entries });
    const pass = this.#profiling ? this.#profiledPass(d.key) : this.#passOrNew();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    const [x, y, z] = this.#grid(d.workgroups);
    if (x > 0 && y > 0 && z > 0) pass.dispatchWorkgroups(x, y, z);
    this.dispatchCount++;
    this.#pending.push(this.#currentOp);
    if (this.#profiling) this.#endPass();
    if (this.#pending.length >= this.#maxPending) this.flush();
  }

  /** Submits all recorded work. */
  flush(): void {
    if (!this.#encoder) return;
    this.#endPass();
    if (this.#profiling) this.#resolveQueries();
    const ops = [...new Set(this.#pending)].join(", ");
    this.device.pushErrorScope("validation");
    this.device.pushErrorScope("out-of-memory");
    this.device.queue.submit([this.#encoder.finish()]);
    const report = (kind: string) => (e: GPUError | null) => {
      if (e) this.#error ??= new BackendError("webgpu", ops, `${kind}: ${e.message}`);
    };
    this.device.popErrorScope().then(report("out of memory"));
    this.device.popErrorScope().then(report("validation error"));
    this.submitCount++;
    this.#encoder = null;
    this.#pending = [];
    for (const b of this.#retired) b.destroy();
    this.#retired = [];
  }

  /** GPU time per kernel since creation (with `profile: true`), slowest first. */
  async profile(): Promise<KernelProfile[]> {
    this.flush();
    await Promise.all(this.#profileReads);
    this.#profileReads = [];
    return [...this.#profile.values()].sort((a, b) => b.ms - a.ms);
  }

  /** Clears the per-kernel totals. */
  resetProfile(): void {
    this.#profile.clear();
  }

  // ---- internals ---------------------------------------------------------------------------

  #profiledPass(key: string): GPUComputePassEncoder {
    this.#endPass();
    this.#querySet ??= this.device.createQuerySet({
      type: "timestamp",
      count: 2 * this.#maxPending,
    });
    const i = this.#queryKeys.length;
    this.#queryKeys.push([key, this.#currentOp]);
    this.#pass = this.#encoderOrNew().beginComputePass({
      timestampWrites: {
        querySet: this.#querySet,
        beginningOfPassWriteIndex: 2 * i,
        endOfPassWriteIndex: 2 * i + 1,
      },
    });
    return this.#pass;
  }

  #resolveQueries(): void {
    const n = this.#queryKeys.length;
    if (n === 0 || !this.#querySet || !this.#encoder) return;
    const bytes = 16 * n;
    const resolved = this.device.createBuffer({ size: bytes, usage: 0x200 | 0x4 }); // QUERY_RESOLVE | COPY_SRC
    const readable = this.device.createBuffer({ size: bytes, usage: MAP_READ_USAGE });
    this.#encoder.resolveQuerySet(this.#querySet, 0, 2 * n, resolved, 0);
    this.#encoder.copyBufferToBuffer(resolved, 0, readable, 0, bytes);
    const keys = this.#queryKeys;
    this.#queryKeys = [];
    this.#retired.push(resolved);
    this.#profileReads.push((async () => {
      await this.device.queue.onSubmittedWorkDone();
      await readable.mapAsync(1);
      const t = new BigUint64Array(readable.getMappedRange());
      keys.forEach(([key, op], i) => {
        const e = this.#profile.get(key) ?? { key, op, count: 0, ms: 0 };
        e.count++;
        e.ms += Number(t[2 * i + 1] - t[2 * i]) / 1e6;
        this.#profile.set(key, e);
      });
      readable.unmap();
      readable.destroy();
    })());
  }

  #check(op: string): void {
    if (this.#lost) throw new BackendError("webgpu", op, `device lost (${this.#lost})`);
    if (this.#error) {
      const e = this.#error;
      this.#error = null;
      throw e;
    }
  }

  #createStorage(bytes: number): GPUBuffer {
    const max = this.limits.maxBufferSize;
    if (bytes > max) {
      throw new BackendError(
        "webgpu",
        this.#currentOp || "alloc",
        `a ${bytes}-byte buffer exceeds the adapter's maxBufferSize (${max})`,
      );
    }
    return this.device.createBuffer({ size: bytes, usage: STORAGE_USAGE });
  }

  #pipeline(d: Dispatch): GPUComputePipeline {
    const key = `${d.key}#${d.entryPoint ?? "main"}`;
    let p = this.#pipelines.get(key);
    if (!p) {
      const code = d.code();
      this.device.pushErrorScope("validation");
      const module = this.device.createShaderModule({ code, label: d.key });
      p = this.device.createComputePipeline({
        layout: "auto",
        compute: { module, entryPoint: d.entryPoint ?? "main" },
        label: key,
      });
      const op = this.#currentOp;
      // Compilation errors arrive asynchronously; keep the shader's messages with the op's name.
      this.device.popErrorScope().then(async (e) => {
        if (!e) return;
        const info = await module.getCompilationInfo();
        const msgs = info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join("; ");
        this.#error ??= new BackendError(
          "webgpu",
          op,
          `pipeline ${key} failed: ${e.message} ${msgs}`,
        );
      });
      this.#pipelines.set(key, p);
    }
    return p;
  }

  #uniform(data: Uint32Array): GPUBuffer {
    const key = data.join(",");
    let b = this.#uniforms.get(key);
    if (!b) {
      if (this.#uniforms.size >= UNIFORM_CACHE_LIMIT) {
        // Buffers referenced by unsubmitted work must outlive it: destroy them after the next submit.
        for (const old of this.#uniforms.values()) this.#retired.push(old);
        this.#uniforms.clear();
      }
      b = this.device.createBuffer({
        size: data.byteLength,
        usage: UNIFORM_USAGE,
        mappedAtCreation: true,
      });
      new Uint32Array(b.getMappedRange()).set(data);
      b.unmap();
      this.#uniforms.set(key, b);
    }
    return b;
  }

  #grid(w: Dispatch["workgroups"]): [number, number, number] {
    if (Array.isArray(w)) return w;
    const groups = Math.ceil(w.threads / w.size);
    const maxDim = this.limits.maxComputeWorkgroupsPerDimension;
    if (groups <= maxDim) return [groups, 1, 1];
    const y = Math.ceil(groups / maxDim);
    return [Math.ceil(groups / y), y, 1];
  }

  #encoderOrNew(): GPUCommandEncoder {
    return (this.#encoder ??= this.device.createCommandEncoder());
  }

  #passOrNew(): GPUComputePassEncoder {
    return (this.#pass ??= this.#encoderOrNew().beginComputePass());
  }

  #endPass(): void {
    if (this.#pass) {
      this.#pass.end();
      this.#pass = null;
    }
  }

  #count(h: GpuHandle, sign: number): void {
    this.#live += sign;
    this.#liveBytes += sign * h.buffer.size;
    if (this.#liveBytes > this.#peak) this.#peak = this.#liveBytes;
    if (this.#liveBytes > this.#highWater) {
      this.#highWater = this.#liveBytes;
      this.#pool.limitBytes = Math.max(POOL_FLOOR_BYTES, this.#highWater);
    }
  }
}

export type { Binding, GpuHandle };

/** `WebGPUBackend.create` with {@link WebGPUBackendTestOptions}; null if no WebGPU. */
export function createWebGPUBackendForTesting(
  options: WebGPUBackendTestOptions,
): Promise<WebGPUBackend | null> {
  return WebGPUBackend.create(options);
}
