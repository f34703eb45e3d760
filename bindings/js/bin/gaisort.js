#!/usr/bin/env node
// `npx gaisort`: the command line over the module, as thin as it can be:
// sort, lint and models, their text rendered by the engine (the same
// bytes as the Go command's `gaisort sort`, `gaisort lint`), their JSON
// the module's own bytes. Exit status as the Go command's: 0, 1 when lint
// warns (or the module fails), 2 on bad input (one line on stderr).
import { readFileSync } from 'node:fs';
import { GaisortError, load } from '../index.js';

const USAGE = `gaisort (npm): in what order will getaddrinfo() return these addresses, and why?

Usage:
  gaisort sort [--model NAMES] [--json | --compact] [FILE|-]
        Answer the scenario in FILE (or standard input): one scenario object
        or a JSON array of them (docs/scenario.md). Without --model, the
        default models; --json prints the answer object, --compact the
        compact answer.
  gaisort lint [FILE|-]
        Read a gai.conf (default /etc/gai.conf) as glibc 2.36 does and warn
        about each way it differs from what its author probably meant.
        Exit 0 when clean, 1 when there are warnings.
  gaisort models
        List the models.
  gaisort help
        This text.

Exit status: 0 on success, 2 on bad input (one line on standard error).
`;

class UsageError extends Error {}

// The inputs' limits (engine/limits.go): a batch document, a gai.conf.
const MAX_BATCH_BYTES = 64 << 20;
const MAX_GAICONF_BYTES = 65536;

function readInput(name, limit, limitName) {
  const shown = name === '-' ? 'standard input' : name;
  let data;
  try {
    data = readFileSync(name === '-' ? 0 : name);
  } catch (err) {
    throw new UsageError(err.code === 'ENOENT' ? `open ${name}: no such file or directory` : `reading ${shown}: ${err.message}`);
  }
  if (data.length > limit) throw new UsageError(`${shown}: larger than the limit of ${limit} bytes (${limitName})`);
  return { text: new TextDecoder().decode(data), shown };
}

function parseSort(args) {
  const o = { models: undefined, json: false, compact: false, file: '-' };
  const files = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json' || a === '-json') o.json = true;
    else if (a === '--compact' || a === '-compact') o.json = o.compact = true;
    else if (a === '--model' || a === '-model') {
      if (i + 1 >= args.length) throw new UsageError('--model needs a comma list of model names');
      o.models = args[++i];
    } else if (a.startsWith('--model=') || a.startsWith('-model=')) o.models = a.slice(a.indexOf('=') + 1);
    else if (a === '-' || !a.startsWith('-')) files.push(a);
    else throw new UsageError(`unknown flag ${JSON.stringify(a)} (flags: --model NAMES, --json, --compact)`);
  }
  if (files.length > 1) throw new UsageError('sort reads one FILE (or - for standard input)');
  if (files.length === 1) o.file = files[0];
  return o;
}

function modelsText(models) {
  // As engine.AppendModelsText (the Go command's `gaisort models`): the
  // module lists the models as JSON; the text is one padded column.
  const pad = (s) => s + ' '.repeat(Math.max(0, 24 - [...s].length));
  let out = '';
  for (const m of models) {
    const name = m.aliases.length > 0 ? `${m.name} (${m.aliases.join(', ')})` : m.name;
    out += `${pad(name)} ${m.summary}\n`;
    if (m.ships) out += `${pad('')} shipped by ${m.ships}\n`;
  }
  return out;
}

async function main(args) {
  const cmd = args[0];
  if (cmd === undefined) {
    process.stdout.write(USAGE);
    throw new UsageError('no command given (try: gaisort models)');
  }
  if (cmd === 'help' || cmd === '-h' || cmd === '--help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!['sort', 'lint', 'models'].includes(cmd)) {
    throw new UsageError(`unknown command ${JSON.stringify(cmd)} (commands: sort, lint, models, help)`);
  }
  if (cmd === 'models' && args.length > 1) throw new UsageError('models takes no arguments');
  if (cmd === 'lint' && args.length > 2) throw new UsageError('lint reads one FILE (or - for standard input)');
  const o = cmd === 'sort' ? parseSort(args.slice(1)) : null;
  const engine = await load();
  if (cmd === 'models') {
    process.stdout.write(modelsText(engine.models()));
    return 0;
  }
  if (cmd === 'lint') {
    const name = args[1] ?? '/etc/gai.conf';
    const { text } = readInput(name, MAX_GAICONF_BYTES, 'MaxGaiConfBytes');
    const r = engine.lint(text, { name });
    process.stdout.write(r.text);
    return r.warnings > 0 ? 1 : 0;
  }
  const { text, shown } = readInput(o.file, MAX_BATCH_BYTES, 'MaxBatchBytes');
  const opts = { models: o.models, compact: o.compact };
  try {
    if (!o.json) process.stdout.write(engine.sortText(text, opts));
    else process.stdout.write(engine.sortJSON(text, opts) + '\n');
  } catch (err) {
    if (err instanceof GaisortError && err.code === 'bad_scenario') {
      throw new UsageError(`${shown}: ${err.path ? err.path + ': ' : ''}${err.message}`);
    }
    throw err;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    const bad = err instanceof UsageError || (err instanceof GaisortError && ['bad_scenario', 'unknown_model', 'too_large'].includes(err.code));
    process.stderr.write(`gaisort: ${String(err.message).replace(/\n/g, ' ')}\n`);
    process.exitCode = bad ? 2 : 1;
  },
);
