#!/usr/bin/env bash
# make dist-test: the artifacts of `make dist`, installed the usual way in
# new temporary directories, from build/dist (and build/wheelhouse for
# wasmtime and setuptools) only: no network, no repository source, no Go.
#
#   scripts/dist-test.sh DIST WHEELHOUSE VERSION
set -euo pipefail
dist=$(cd "$1" && pwd)
wheelhouse=$(cd "$2" && pwd)
version=$3
repo=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
NPM=${NPM:-npm}

fail() { echo "dist-test: FAIL: $*" >&2; exit 1; }
ok() { echo "dist-test: ok: $*"; passed=$((passed + 1)); }
passed=0

tgz=$dist/gaisort-$version.tgz
whl=$dist/gaisort-$version-py3-none-any.whl
sdist=$dist/gaisort-$version.tar.gz
cli=$dist/gaisort-$version-linux-amd64
for f in "$tgz" "$whl" "$sdist" "$cli" "$dist/gaisort-$version-linux-arm64" "$dist/gaisort-$version-darwin-arm64" "$dist/gaisort-$version-windows-amd64.exe" "$dist/SHA256SUMS"; do
  [ -f "$f" ] || fail "$f missing: run make dist first"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gaisort-dist-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Clean environments: no GAISORT_* override, no Go, a fresh HOME; the
# compiled-module cache of the Python binding in the temporary directory.
clean_env=(env -i "PATH=/usr/local/bin:/usr/bin:/bin" "HOME=$tmp/home" "TMPDIR=$tmp" "XDG_CACHE_HOME=$tmp/cache" "LANG=C.UTF-8")
mkdir -p "$tmp/home"
node_dir=$(dirname "$(command -v node)")
npm_dir=$(dirname "$(command -v "$NPM")")
py=$(command -v "$PYTHON")

# --- checksums ---
(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
[ "$(wc -l < "$dist/SHA256SUMS")" -eq "$(ls "$dist" | grep -vc '^SHA256SUMS$')" ] || fail "SHA256SUMS does not list every artifact"
ok "SHA256SUMS over $(wc -l < "$dist/SHA256SUMS") artifacts"

# --- what each package carries ---
list=$(tar -tzf "$tgz")
for f in LICENSE gaisort.wasm index.js index.cjs index.d.ts index.d.cts wasi.js fs-node.js fs-none.js bin/gaisort.js; do
  grep -qx "package/$f" <<<"$list" || fail "no $f in $tgz"
done
"$py" - "$whl" "$sdist" "$version" <<'PY' || fail "wheel or sdist contents"
import sys, tarfile, zipfile
whl, sdist, v = sys.argv[1:]
names = zipfile.ZipFile(whl).namelist()
for want in ("gaisort/gaisort.wasm", "gaisort/py.typed", "gaisort-%s.dist-info/licenses/LICENSE" % v):
    assert want in names, "%s: no %s" % (whl, want)
wheel = zipfile.ZipFile(whl).read("gaisort-%s.dist-info/WHEEL" % v).decode()
assert "Tag: py3-none-any" in wheel and "Root-Is-Purelib: true" in wheel, wheel
meta = zipfile.ZipFile(whl).read("gaisort-%s.dist-info/METADATA" % v).decode()
assert "License-Expression: Apache-2.0" in meta, "no license in the wheel's metadata"
names = tarfile.open(sdist).getnames()
for want in ("src/gaisort/gaisort.wasm", "LICENSE", "setup.py", "pyproject.toml"):
    assert "gaisort-%s/%s" % (v, want) in names, "%s: no %s" % (sdist, want)
PY
ok "the npm tarball, the wheel (py3-none-any) and the sdist carry the module and the LICENSE"

# --- npm: install the tarball, run the README's examples ---
mkdir -p "$tmp/npm"
echo '{"name":"try-gaisort","private":true,"type":"module"}' > "$tmp/npm/package.json"
(cd "$tmp/npm" && "${clean_env[@]}" "PATH=$node_dir:$npm_dir:/usr/bin:/bin" "$NPM" install --offline --no-audit --no-fund --no-update-notifier --loglevel=error "$tgz" >"$tmp/npm.log" 2>&1) || { cat "$tmp/npm.log" >&2; fail "npm install $tgz"; }
cmp -s "$tmp/npm/node_modules/gaisort/LICENSE" "$repo/LICENSE" || fail "the installed npm package's LICENSE differs from the repository's"
# Every ```js block followed by a ```text block, from the installed README.
(cd "$tmp/npm" && "${clean_env[@]}" "PATH=$node_dir:/usr/bin:/bin" node --input-type=module -e '
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
const readme = readFileSync("node_modules/gaisort/README.md", "utf8");
const pairs = [...readme.matchAll(/```js\n([\s\S]*?)```(?:(?!```)[\s\S])*?```text\n([\s\S]*?)```/g)];
if (pairs.length < 2) { console.error("README examples not found"); process.exit(1); }
for (const [, code, text] of pairs) {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
  for (const line of text.trim().split("\n")) {
    if (!out.split("\n").includes(line)) { console.error(`README line not printed:\n${line}\nactual:\n${out}`); process.exit(1); }
  }
}
console.log(`${pairs.length} examples`);
' >/dev/null) || fail "the JS README's examples, from the installed package"
out=$(cd "$tmp/npm" && "${clean_env[@]}" "PATH=$node_dir:/usr/bin:/bin" node --no-experimental-require-module -e '
const g = require("gaisort");
if (!require.resolve("gaisort").endsWith("index.cjs")) throw new Error(require.resolve("gaisort"));
g.load().then((e) => console.log(e.version().gaisort));') || fail "require(\"gaisort\") from the installed package"
[ "$out" = "$version" ] || fail "require: version $out, want $version"
ok "npm install of $(basename "$tgz"): the README's examples print what it shows; require() works"
# npx gaisort: the installed command line prints what the command does.
scenario="$repo/testdata/bench/container8.json"
for args in "models" "sort $scenario" "sort --compact $scenario"; do
  out=$(cd "$tmp/npm" && "${clean_env[@]}" "PATH=$node_dir:/usr/bin:/bin" node_modules/.bin/gaisort $args) || fail "npx gaisort $args"
  [ "$out" = "$("$cli" $args)" ] || fail "npx gaisort $args: not what gaisort $args prints"
done
ok "npx gaisort (models, sort, sort --compact) from the installed package prints what the command prints"

# --- Python: a venv, the wheel, the README's examples ---
"$py" -m venv "$tmp/venv"
"${clean_env[@]}" "$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index \
  --find-links "$dist" --find-links "$wheelhouse" "gaisort==$version" || fail "pip install of the wheel"
"${clean_env[@]}" "$tmp/venv/bin/python" -c 'import gaisort, os, sys; p = gaisort.wasm_path(); assert p.startswith(sys.prefix), p' || fail "the wheel's module is not the one used"
(cd "$tmp" && "${clean_env[@]}" "$tmp/venv/bin/python" "$repo/bindings/python/scripts/readme_examples.py") || fail "the Python README's examples, from the installed wheel's metadata"
ok "pip install of $(basename "$whl"): the README's examples print what it shows"
for args in "models" "sort $scenario" "sort --compact $scenario"; do
  out=$(cd "$tmp" && "${clean_env[@]}" "$tmp/venv/bin/python" -m gaisort $args) || fail "python -m gaisort $args"
  [ "$out" = "$("$cli" $args)" ] || fail "python -m gaisort $args: not what gaisort $args prints"
done
ok "python -m gaisort (models, sort, sort --compact) from the installed wheel prints what the command prints"

# --- Python: the sdist builds and installs without Go ---
"${clean_env[@]}" sh -c 'command -v go' >/dev/null && fail "go is on the clean PATH; the no-Go check would prove nothing"
"$py" -m venv "$tmp/venv-sdist"
"${clean_env[@]}" "$tmp/venv-sdist/bin/python" -m pip install --quiet --disable-pip-version-check --no-index \
  --find-links "$wheelhouse" "$sdist" || fail "pip install of the sdist (no Go on PATH)"
got=$(cd "$tmp" && "${clean_env[@]}" "$tmp/venv-sdist/bin/python" -c '
import gaisort
a = gaisort.sort({"destinations": ["::1", "127.0.0.1"]}, models="glibc")
print(gaisort.version()["gaisort"], a["results"][0]["order"])') || fail "the sdist's installation does not answer"
[ "$got" = "$version ['::1', '127.0.0.1']" ] || fail "the sdist's installation answered: $got"
ok "pip install of $(basename "$sdist") with no Go on PATH, and it answers"

# --- the command ---
out=$("${clean_env[@]}" "$cli" demo) || fail "$cli demo"
grep -q 'rule 5: prefer matching label' <<<"$out" || fail "$cli demo printed: $out"
out=$("${clean_env[@]}" "$cli" version) || fail "$cli version"
[[ $out == "gaisort $version (go"* ]] || fail "$cli version printed: $out"
file_out=$(od -An -c -N4 "$dist/gaisort-$version-darwin-arm64" | tr -d ' \n')
[ "$file_out" = '317372355376' ] || fail "darwin/arm64 is not a Mach-O 64-bit file ($file_out)"
head -c2 "$dist/gaisort-$version-windows-amd64.exe" | grep -q MZ || fail "windows/amd64 is not a PE file"
ok "$(basename "$cli") demo and version ($out); the darwin and windows builds are Mach-O and PE"

echo "dist-test: $passed passed, 0 failed"
