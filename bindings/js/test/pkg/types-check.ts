// Compiled by types.test.js with tsc --strict: what the declarations give
// (precise fields) and what they refuse (@ts-expect-error: an unused one
// is itself an error, so each line below must really be refused).
import { load, GaisortError, type Answer, type CompactAnswer, type LintReport, type Decision, type Dest, type ErrorCode, type ModelResult, type Note, type RuleID, type Scenario } from 'gaisort';

const scenario: Scenario = {
  version: 1,
  interfaces: [{ name: 'eth0', addresses: [{ cidr: '10.0.0.7/24', deprecated: false }] }],
  routes: [{ to: 'default', via: '10.0.0.1', dev: 'eth0', metric: 100, onlink: false }],
  destinations: ['10.0.0.9'],
  gai_conf: 'precedence ::ffff:0:0/96 100\n',
  hints: { family: 'unspec', flags: ['AI_ADDRCONFIG'] },
};
const engine = await load(new Uint8Array(0), { stdout: (line: string) => void line });
const answer: Answer = engine.sort(scenario, { models: ['glibc', 'musl'] });
engine.sort(JSON.stringify(scenario), { models: 'glibc,musl' });
engine.sort(scenario, { models: undefined });

function describe(r: ModelResult): string {
  if (r.error !== undefined) return `${r.model}: ${r.error}`;
  // Narrowed: an order result has order, dests and decided.
  const first: Dest = r.dests[0]!;
  const rule: RuleID = r.decided[0]?.rule ?? 'rule10';
  const scope: number | undefined = first.dest_scope;
  const deprecated: true | undefined = first.source_deprecated;
  return `${r.model}: ${r.order.join(', ')} ${rule} ${first.usable} ${scope} ${deprecated} ${first.key ?? ''}`;
}
for (const r of answer.results) console.log(describe(r));
const notes: Note[] = answer.results.flatMap((r) => r.notes ?? []);
for (const n of notes) console.log(n.kind, n.line ?? 0, n.text);
const d: Decision = { rule: 'algorithm', why: 'the sort algorithm decided' };
console.log(d, engine.version().abi, engine.models()[0]?.aliases.join(','));

try {
  engine.sort(scenario, { models: [] });
} catch (err) {
  if (err instanceof GaisortError) {
    const code: ErrorCode | string = err.code;
    console.log(code, err.path, err.message, err.name === 'GaisortError');
  }
}

// @ts-expect-error: decided is absent from an error result, so possibly undefined on the union
console.log(answer.results[0]!.decided[0]);
// @ts-expect-error: no such rule
const bad: RuleID = 'rule11';
// @ts-expect-error: destinations is required
const noDest: Scenario = { version: 1 };
// @ts-expect-error: the format version is 1
const v2: Scenario = { version: 2, destinations: [] };
// @ts-expect-error: not a family
const fam: Scenario = { destinations: [], hints: { family: 'inet4' } };
// @ts-expect-error: not a hint flag
const flag: Scenario = { destinations: [], hints: { flags: ['AI_CANONNAME'] } };
// @ts-expect-error: usable is a boolean
const u: string = answer.results[0]!.dests![0]!.usable;
// @ts-expect-error: models are names
engine.sort(scenario, { models: 3 });
// The compact answer and the batch: precise types, by the compact option.
const compact: CompactAnswer = engine.sort(scenario, { compact: true });
for (const r of compact.results) {
  const ids: RuleID[] = r.error === undefined ? r.decided : [];
  console.log(r.model, r.order?.join(','), ids.join(','));
}
const full: Answer[] = engine.sortBatch([scenario, JSON.stringify(scenario)]);
const compacts: CompactAnswer[] = engine.sortBatch([scenario], { compact: true, models: 'musl' });
const text: string = engine.sortText(scenario);
const json: string = engine.sortJSON([scenario], { compact: true });
const report: LintReport = engine.lint('label fd00::/8 1\n', { name: 'gai.conf' });
console.log(full.length, compacts.length, text, json, report.warnings, report.text);
// @ts-expect-error: a compact answer has no dests
console.log(engine.sort(scenario, { compact: true }).results[0]!.dests);
// @ts-expect-error: a compact answer's decided are rule IDs, not objects
const why: string = compact.results[0]!.decided![0]!.why;
// @ts-expect-error: a full answer is not a compact one
const notCompact: CompactAnswer[] = engine.sortBatch([scenario]);
console.log(bad, noDest, v2, fam, flag, u, why, notCompact);
