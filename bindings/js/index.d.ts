// Type declarations for gaisort (hand-written; index.js is the code).

/** A scenario: docs/scenario.md (version 1). */
export interface Scenario {
  version?: 1;
  interfaces?: Array<{
    name: string;
    addresses?: Array<{ cidr: string; deprecated?: boolean; home?: boolean }>;
  }>;
  routes?: Array<{
    to: string;
    via?: string;
    dev?: string;
    src?: string;
    metric?: number;
    onlink?: boolean;
  }>;
  destinations: string[];
  gai_conf?: string;
  hints?: {
    family?: 'unspec' | 'inet' | 'inet6';
    flags?: Array<'AI_ADDRCONFIG' | 'AI_V4MAPPED' | 'AI_ALL'>;
  };
}

/** What a model knew of one destination (detail beyond the contract). */
export interface Dest {
  address: string;
  index: number;
  usable?: boolean;
  source?: string;
  interface?: string;
  [detail: string]: unknown;
}

/** One model's answer: the final order, or the getaddrinfo error. */
export interface ModelResult {
  model: string;
  /** The addresses in the order getaddrinfo returns them (absent on error). */
  order?: string[];
  /** The getaddrinfo error by name ("EAI_NONAME", ...), instead of an order. */
  error?: string;
  /** The explanation: destinations in final order, rules that decided, notes. */
  dests?: Dest[];
  decided?: unknown[];
  notes?: unknown[];
  [detail: string]: unknown;
}

/** The answer for one scenario: one element of `gaisort sort --json`'s output. */
export interface Answer {
  results: ModelResult[];
}

export interface ModelInfo {
  name: string;
  aliases: string[];
  summary: string;
}

export interface VersionInfo {
  gaisort: string;
  abi: number;
  go: string;
}

export interface SortOptions {
  /** Model names or aliases, as an array or a comma list; empty or absent: the default models (the RFC and the newest glibc and musl). */
  models?: string | string[];
}

export interface LoadOptions {
  /** Where the module's standard output goes, a line at a time (default console.log). */
  stdout?: (line: string) => void;
  /** Where the module's standard error goes, a line at a time (default console.error). */
  stderr?: (line: string) => void;
}

/** The module to load: a URL, a URL string or file path, bytes, or a compiled module. */
export type Source = string | URL | Uint8Array | ArrayBuffer | ArrayBufferView | WebAssembly.Module | Response;

/**
 * An error value. From the engine: "bad_scenario" (path names the field),
 * "unknown_model", "too_large", "internal". From the binding: "load",
 * "abi" (a module of an unknown ABI version), "trap" (the instance was
 * discarded; the next call gets a fresh one).
 */
export class GaisortError extends Error {
  constructor(code: string, message: string, path?: string, options?: { cause?: unknown });
  readonly name: 'GaisortError';
  code: 'bad_scenario' | 'unknown_model' | 'too_large' | 'internal' | 'load' | 'abi' | 'trap' | (string & {});
  /** The JSON path of the offending scenario value ("destinations[1]"), or "". */
  path: string;
}

/** One WebAssembly instance at a time, one call at a time. */
export class Engine {
  private constructor();
  /** Answers one scenario (an object or its JSON text). Throws GaisortError. */
  sort(scenario: Scenario | string, options?: SortOptions): Answer;
  /** The models, in answer order. */
  models(): ModelInfo[];
  /** The module's versions. */
  version(): VersionInfo;
}

/** The ABI versions this binding accepts. */
export const ABI_VERSIONS: readonly number[];

/**
 * Compiles and starts the module (default: gaisort.wasm next to this
 * package's index.js; read with fs in Node, fetch in browsers).
 */
export function load(source?: Source, options?: LoadOptions): Promise<Engine>;
