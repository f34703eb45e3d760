// The README's examples type-check under `tsc --strict` (TypeScript 5.9
// and 7.0 from the npm registry), as .ts files and as checked JavaScript,
// resolving 'gaisort' through package.json's exports like a user's
// project does; so does a CommonJS (.cts) file through the "require"
// condition's declarations. types-check.ts holds what the declarations
// must allow and, with @ts-expect-error, what they must refuse (so the
// types cannot quietly become any or unknown).
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { HERE, project, readmeExamples, run } from './setup.js';

const TSC = {
  'TypeScript 5.9': join(HERE, 'node_modules', 'typescript', 'bin', 'tsc'),
  'TypeScript 7.0': join(HERE, 'node_modules', 'typescript7', 'bin', 'tsc'),
};

let p;
before(() => {
  p = project();
  const examples = readmeExamples();
  assert.ok(examples.length >= 2, 'README examples not found');
  examples.forEach(({ code }, i) => {
    writeFileSync(join(p.dir, `readme-${i + 1}.ts`), code);
    writeFileSync(join(p.dir, `readme-${i + 1}.mjs`), code);
  });
  copyFileSync(join(HERE, 'types-check.ts'), join(p.dir, 'types-check.ts'));
  copyFileSync(join(HERE, 'types-check.cts'), join(p.dir, 'types-check.cts'));
  writeFileSync(join(p.dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['es2022', 'dom'],
      types: [],
      allowJs: true,
      checkJs: true,
    },
    include: ['*.ts', '*.mjs', '*.cts'],
  }));
});
after(() => p?.remove());

for (const [name, tsc] of Object.entries(TSC)) {
  test(`${name}: tsc --strict passes on the README examples and the type checks`, () => {
    const r = run(process.execPath, [tsc, '-p', p.dir]);
    assert.equal(r.status, 0, `tsc failed:\n${r.out}`);
  });

  test(`${name}: tsc refuses what the declarations must refuse (a check that can fail)`, () => {
    // A wrong use must be an error; if the types were loose, this passes.
    writeFileSync(join(p.dir, 'wrong.ts'), "import { load } from 'gaisort';\nconst e = await load();\nconst r = e.sort({ destinations: ['::1'] }).results[0]!;\nconst why: number = r.decided![0]!.why;\nconsole.log(why);\n");
    try {
      const r = run(process.execPath, [tsc, '-p', p.dir]);
      assert.notEqual(r.status, 0, 'tsc accepted a string assigned to a number');
      assert.match(r.out, /wrong\.ts/);
    } finally {
      writeFileSync(join(p.dir, 'wrong.ts'), 'export {};\n');
    }
  });
}
