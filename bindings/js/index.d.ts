// Type declarations for gaisort (hand-written; index.js is the code). The
// shapes follow docs/scenario.md ("The answer object") and
// docs/answer.schema.json, which engine/answer.go writes; test/pkg checks
// the README's examples against them under `tsc --strict`.

/** An IP address as text: IPv4 dotted decimal, or IPv6 with an optional `%zone`. */
export type Address = string;

/** `address/length`, as `ip addr add` takes it (host bits kept). */
export type CIDR = string;

/** One address of an interface. */
export interface InterfaceAddress {
  cidr: CIDR;
  /** Preferred lifetime 0 (IFA_F_DEPRECATED), either family. */
  deprecated?: boolean;
  /** An RFC 6275 home address (IFA_F_HOMEADDRESS); IPv6 only. */
  home?: boolean;
}

/** An interface besides loopback (`lo` is always present, never listed). */
export interface Interface {
  /** A Linux interface name: 1 to 15 printable ASCII bytes, not `lo`. */
  name: string;
  /** Exactly the interface's addresses (no link-local address is added). */
  addresses?: InterfaceAddress[];
}

/** A route as `ip route add` takes it. */
export interface Route {
  /** The destination prefix (host bits clear), or `"default"`. */
  to: 'default' | CIDR;
  /** The gateway, no zone. */
  via?: Address;
  /** The outgoing interface: one of the scenario's interfaces, or `lo`. */
  dev?: string;
  /** The preferred source: an address of the host, no zone. */
  src?: Address;
  /** The route's priority (an integer, 0 to 4294967295). */
  metric?: number;
  /** The gateway is on the link though no connected prefix covers it; needs `dev`. */
  onlink?: boolean;
}

export type Family = 'unspec' | 'inet' | 'inet6';
export type HintFlag = 'AI_ADDRCONFIG' | 'AI_V4MAPPED' | 'AI_ALL';

/** getaddrinfo's hints (socket type SOCK_STREAM). */
export interface Hints {
  family?: Family;
  flags?: HintFlag[];
}

/** A scenario: docs/scenario.md, version 1 (schema: docs/scenario.schema.json). */
export interface Scenario {
  /** The format version; absent means 1. */
  version?: 1;
  interfaces?: Interface[];
  routes?: Route[];
  /** What the name resolves to, in the name service's order (1 to 256). */
  destinations: Address[];
  /** The full text of /etc/gai.conf; absent or empty means none. */
  gai_conf?: string;
  hints?: Hints;
}

/** The models this version knows, by canonical name; a newer module may add others. */
export type ModelName = 'rfc6724' | 'glibc' | 'musl' | (string & {});

/** The rule that put one address before the next. */
export type RuleID =
  | 'rule1' | 'rule2' | 'rule3' | 'rule4' | 'rule5'
  | 'rule6' | 'rule7' | 'rule8' | 'rule9' | 'rule10'
  /** The library returned the list as the name service gave it. */
  | 'unsorted'
  /** The comparator is not transitive here: the sort algorithm decided. */
  | 'algorithm';

/** For one adjacent pair of `order`: the rule that decided, and why in words. */
export interface Decision {
  rule: RuleID;
  why: string;
}

/** Note kinds written today; readers must accept others. */
export type NoteKind =
  | 'lint' | 'crash' | 'addrconfig' | 'dropped' | 'unsorted' | 'filtered'
  | 'truncated' | 'gaiconf-ignored' | 'dns-fallback' | (string & {});

/** What else to know about a result. */
export interface Note {
  kind: NoteKind;
  /** The gai.conf line concerned, from 1; absent for none. */
  line?: number;
  text: string;
}

/** What a model knew of one destination. A number it did not compute is absent. */
export interface Dest {
  /** As the program receives it (IPv4-mapped when the library mapped it). */
  address: Address;
  /** Its position, from 0, in the list the library sorted (rule 10's tie-break). */
  index: number;
  /** connect() finds a route and a source (rule 1). */
  usable: boolean;
  /** The errno connect() fails with, when not usable ("ENETUNREACH", ...). */
  unreachable?: string;
  /** The source address the kernel picks. */
  source?: Address;
  /** The outgoing interface (`lo` included), when usable. */
  interface?: string;
  source_prefix_len?: number;
  /** Only written when true. */
  source_deprecated?: true;
  /** Only written when true. */
  source_home?: true;
  dest_scope?: number;
  source_scope?: number;
  dest_label?: number;
  source_label?: number;
  precedence?: number;
  /** The value rule 9 compares. */
  match_len?: number;
  /** musl's 31-bit sort key, "0x" and 8 lower-case hex digits. */
  key?: string;
}

/** getaddrinfo's error by name, or the signal that kills the caller ("SIGSEGV"). */
export type GaiError = 'EAI_NONAME' | 'EAI_AGAIN' | 'EAI_SYSTEM' | 'SIGSEGV' | (string & {});

/** A model's answer when getaddrinfo returns addresses. */
export interface OrderResult {
  model: ModelName;
  /** The addresses in the order getaddrinfo returns them (at least one). */
  order: Address[];
  /** What the model knew of each address of `order`, in the same order. */
  dests: Dest[];
  /** One entry per adjacent pair of `order` (one fewer than `order`). */
  decided: Decision[];
  /** Absent when there is nothing to note. */
  notes?: Note[];
  error?: never;
}

/** A model's answer when getaddrinfo fails (or the caller crashes). */
export interface ErrorResult {
  model: ModelName;
  error: GaiError;
  notes?: Note[];
  order?: never;
  dests?: never;
  decided?: never;
}

/** One model's answer: an order, or an error (test `'error' in r` or `r.order`). */
export type ModelResult = OrderResult | ErrorResult;

/** The answer for one scenario: one element of `gaisort sort --json`'s output. */
export interface Answer {
  /** One result per model asked, in the order asked. */
  results: ModelResult[];
}

/** A model's compact answer when getaddrinfo returns addresses. */
export interface CompactOrderResult {
  model: ModelName;
  /** The addresses in the order getaddrinfo returns them (at least one). */
  order: Address[];
  /** One rule ID per adjacent pair of `order` (one fewer than `order`). */
  decided: RuleID[];
  error?: never;
}

/** A model's compact answer when getaddrinfo fails (or the caller crashes). */
export interface CompactErrorResult {
  model: ModelName;
  error: GaiError;
  order?: never;
  decided?: never;
}

export type CompactModelResult = CompactOrderResult | CompactErrorResult;

/** The compact answer for one scenario (docs/scenario.md, "The compact answer"). */
export interface CompactAnswer {
  /** One result per model asked, in the order asked. */
  results: CompactModelResult[];
}

/** What lint gives: the number of warnings, and `gaisort lint`'s report. */
export interface LintReport {
  warnings: number;
  /** One line per warning, "NAME:LINE: text", or one line saying all is well. */
  text: string;
}

export interface ModelInfo {
  name: ModelName;
  aliases: string[];
  summary: string;
  /** "rfc", "glibc" or "musl". */
  library?: string;
  /** The library's version ("2.43"), "" for the RFC. */
  version?: string;
  /** Which distributions ship this version, "" for the RFC. */
  ships?: string;
  /** Whether the model answers when none is named. */
  default?: boolean;
}

export interface VersionInfo {
  /** The gaisort release the module was built from. */
  gaisort: string;
  /** The module's ABI version (wasm/ABI.md). */
  abi: number;
  /** The Go release that built it ("go1.26.8"). */
  go: string;
}

export interface SortOptions {
  /**
   * Model names or aliases, as an array or a comma list. Absent (or
   * undefined, or null): the default models (the RFC and the newest glibc
   * and musl), in registry order. An empty array or an empty string is an
   * error (`unknown_model`): it asks for no model.
   */
  models?: string | readonly string[] | null;
  /** The compact answer: per model its order and rule IDs, or its error. */
  compact?: boolean;
}

export interface CompactOptions extends SortOptions {
  compact: true;
}

export interface LintOptions {
  /** The name each line of the report starts with (default "gai.conf"). */
  name?: string;
}

export interface LoadOptions {
  /** Where the module's standard output goes, a line at a time (default console.log). */
  stdout?: (line: string) => void;
  /** Where the module's standard error goes, a line at a time (default console.error). */
  stderr?: (line: string) => void;
}

/** The module to load: a URL, a URL string or file path (Node), bytes, a Response, or a compiled module. */
export type Source = string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module | Response;

/** The engine's error codes. */
export type EngineErrorCode = 'bad_scenario' | 'unknown_model' | 'too_large' | 'bad_options' | 'internal';
/** The binding's own error codes. */
export type BindingErrorCode = 'load' | 'abi' | 'trap';
export type ErrorCode = EngineErrorCode | BindingErrorCode;

/**
 * An error value. From the engine: "bad_scenario" (path names the field),
 * "unknown_model", "too_large", "internal". From the binding: "load",
 * "abi" (a module of an unknown ABI version), "trap" (the instance was
 * discarded; the next call gets a fresh one).
 */
export class GaisortError extends Error {
  constructor(code: ErrorCode | (string & {}), message: string, path?: string, options?: { cause?: unknown });
  readonly name: 'GaisortError';
  code: ErrorCode | (string & {});
  /** The JSON path of the offending scenario value ("destinations[1]"), or "". */
  path: string;
}

/** One WebAssembly instance at a time, one call at a time. */
export class Engine {
  private constructor();
  /** Answers one scenario (an object or its JSON text). Throws GaisortError. */
  sort(scenario: Scenario | string, options: CompactOptions): CompactAnswer;
  sort(scenario: Scenario | string, options?: SortOptions & { compact?: false }): Answer;
  sort(scenario: Scenario | string, options?: SortOptions): Answer | CompactAnswer;
  /**
   * Answers many scenarios in one call into the module, one answer per
   * scenario, in order. A bad scenario fails the whole call (its path
   * starts with its index, "[3].destinations[0]").
   */
  sortBatch(scenarios: ReadonlyArray<Scenario | string>, options: CompactOptions): CompactAnswer[];
  sortBatch(scenarios: ReadonlyArray<Scenario | string>, options?: SortOptions & { compact?: false }): Answer[];
  sortBatch(scenarios: ReadonlyArray<Scenario | string>, options?: SortOptions): Answer[] | CompactAnswer[];
  /** The module's answer as JSON text, unparsed (`gaisort sort --json`/`--compact`'s output). */
  sortJSON(scenario: Scenario | string | ReadonlyArray<Scenario | string>, options?: SortOptions): string;
  /** The human answer `gaisort sort` prints, rendered by the engine. */
  sortText(scenario: Scenario | string | ReadonlyArray<Scenario | string>, options?: SortOptions): string;
  /** Lints a gai.conf as glibc 2.36 reads it (`gaisort lint`). */
  lint(conf: string, options?: LintOptions): LintReport;
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
