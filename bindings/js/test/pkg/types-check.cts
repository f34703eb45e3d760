// CommonJS: compiled as require('gaisort'), typed by the "require"
// condition's index.d.cts.
import { load, GaisortError, type Answer } from 'gaisort';

async function main(): Promise<void> {
  const engine = await load();
  const a: Answer = engine.sort({ destinations: ['::1', '127.0.0.1'] }, { models: 'glibc' });
  const r = a.results[0];
  if (r !== undefined && r.error === undefined) console.log(r.order.join(', '), r.decided.map((d) => d.rule).join(' '));
  try {
    engine.sort({ destinations: [] });
  } catch (err) {
    if (err instanceof GaisortError) console.log(err.code, err.path);
  }
}
void main();
