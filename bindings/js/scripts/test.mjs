// `npm test`: node --test on test/*.test.js, failing when no test ran
// (no test file, everything skipped or filtered out) as well as on any
// failure.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../test/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.test.js')).map((f) => join(dir, f));
if (files.length === 0) {
  console.error(`npm test: no test file in ${dir}`);
  process.exit(1);
}
let passed = 0;
let failed = 0;
const stream = run({ files });
stream.on('test:pass', (t) => {
  if (!t.skip && !t.todo && t.details?.type !== 'suite') passed++;
});
stream.on('test:fail', () => failed++);
stream.on('end', () => {
  if (failed > 0) process.exitCode = 1;
  if (passed === 0) {
    console.error('npm test: no test ran; that is a failure');
    process.exitCode = 1;
  }
});
stream.compose(spec).pipe(process.stdout);
