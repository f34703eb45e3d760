// Unit tests of the site's pure logic (site/scenario.js, site/presets.js):
// no browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseIPv6, formatIPv6, parseCIDR, parseHostLines, inferRoutes, simpleScenario, simpleHostText, questionFits,
  questionFields, fragmentFor, readFragment, keyFields, placeError, prettyScenario, lineNumbers,
} from '../scenario.js';
import { PRESETS, DEFAULT_PRESET } from '../presets.js';

test('IPv6 text: parse and RFC 5952 form', () => {
  for (const [in_, out] of [
    ['fd00:dead:beef::1', 'fd00:dead:beef::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
    ['1:2:3:4:5:6:7:0', '1:2:3:4:5:6:7:0'],
    ['64:ff9b::142.250.74.206', '64:ff9b::8efa:4ace'],
  ]) {
    assert.equal(formatIPv6(parseIPv6(in_)), out, in_);
  }
  for (const bad of ['1::2::3', '12345::', ':::', '1:2:3:4:5:6:7:8:9', 'g::', '1.2.3.4']) {
    assert.equal(parseIPv6(bad), null, bad);
  }
  assert.equal(parseCIDR('172.19.0.7/33'), null);
  assert.equal(parseCIDR('fd00::7/129'), null);
  assert.equal(parseCIDR('172.19.0.999/16'), null);
});

test('simple mode: lines, flags and errors', () => {
  const h = parseHostLines('172.19.0.7/16\n\n  fd00:dead:beef::7/64 deprecated home  # the ULA\nfe80::7/64 bogus\n10.0.0.1\n');
  assert.deepEqual(h.addresses, [
    { cidr: '172.19.0.7/16' },
    { cidr: 'fd00:dead:beef::7/64', deprecated: true, home: true },
    { cidr: 'fe80::7/64' },
    { cidr: '10.0.0.1' },
  ]);
  assert.deepEqual(h.lines, [1, 3, 4, 5]);
  assert.deepEqual(h.errors.map((e) => e.line), [4, 5]);
});

test('simple mode: the inferred default routes', () => {
  const r = (...cidrs) => inferRoutes(cidrs.map((cidr) => ({ cidr })));
  assert.deepEqual(r('172.19.0.7/16', 'fd00:dead:beef::7/64'), [
    { to: 'default', via: '172.19.0.1', dev: 'eth0' },
    { to: '::/0', via: 'fd00:dead:beef::1', dev: 'eth0' },
  ]);
  // The first subnet of each family; the host's own .1 skipped; no room: on the link.
  assert.deepEqual(r('fe80::7/64', '10.0.0.1/24', '2001:db8::7/64'), [
    { to: 'default', via: '10.0.0.2', dev: 'eth0' },
    { to: '::/0', via: 'fe80::1', dev: 'eth0' },
  ]);
  assert.deepEqual(r('2002:c000:204::1/48'), [{ to: '::/0', via: '2002:c000:204::2', dev: 'eth0' }]);
  assert.deepEqual(r('192.0.2.7/32', '2001:db8::7/128'), [{ to: 'default', dev: 'eth0' }, { to: '::/0', dev: 'eth0' }]);
  assert.deepEqual(r('bogus/8'), []);
  assert.deepEqual(r(), []);
});

test('every preset that fits the simple mode round-trips through it', () => {
  assert.ok(PRESETS.some((p) => p.id === DEFAULT_PRESET));
  assert.equal(new Set(PRESETS.map((p) => p.id)).size, PRESETS.length);
  let simple = 0;
  for (const p of PRESETS) {
    const text = simpleHostText(p.scenario);
    if (p.id === 'vpn-ula') {
      assert.equal(text, null, 'two interfaces need the advanced mode');
      continue;
    }
    assert.notEqual(text, null, p.id);
    const { scenario } = simpleScenario(text, {
      destinations: p.scenario.destinations,
      ...(p.scenario.gai_conf ? { gai_conf: p.scenario.gai_conf } : {}),
      ...(p.scenario.hints ? { hints: p.scenario.hints } : {}),
    });
    assert.deepEqual(scenario, p.scenario, p.id);
    simple++;
  }
  assert.ok(simple >= 8);
});

test('simple mode refuses what it cannot show', () => {
  const base = { version: 1, interfaces: [{ name: 'eth0', addresses: [{ cidr: '10.0.0.7/24' }] }], routes: [{ to: 'default', via: '10.0.0.1', dev: 'eth0' }], destinations: [] };
  assert.equal(simpleHostText(base), '10.0.0.7/24');
  assert.equal(simpleHostText({ ...base, routes: [{ to: '0.0.0.0/0', via: '10.0.0.1', dev: 'eth0' }] }), '10.0.0.7/24');
  assert.equal(simpleHostText({ ...base, routes: [] }), null);
  assert.equal(simpleHostText({ ...base, routes: [{ to: 'default', via: '10.0.0.254', dev: 'eth0' }] }), null);
  assert.equal(simpleHostText({ ...base, routes: [{ to: 'default', via: '10.0.0.1', dev: 'eth0', metric: 5 }] }), null);
  assert.equal(simpleHostText({ ...base, interfaces: [{ name: 'ens3', addresses: [{ cidr: '10.0.0.7/24' }] }] }), null);
  assert.equal(simpleHostText({ ...base, extra: 1 }), null);
  assert.equal(simpleHostText({ version: 1, destinations: ['::1'] }), '');
  assert.equal(simpleHostText([]), null);
});

test('question fields: what the form can show exactly', () => {
  for (const p of PRESETS) assert.ok(questionFits(p.scenario), p.id);
  assert.ok(questionFits({ version: 1 }));
  for (const bad of [
    { destinations: [1] }, { destinations: [' ::1'] }, { destinations: [''] }, { destinations: 'x' },
    { gai_conf: 7 }, { gai_conf: '  ' }, { hints: { family: 'bogus' } }, { hints: { flags: ['AI_CANONNAME'] } },
    { hints: { flags: ['AI_ALL', 'AI_ALL'] } }, { hints: { extra: 1 } }, { hints: null }, [],
  ]) assert.equal(questionFits(bad), false, JSON.stringify(bad));
});

test('question fields: empty parts are left out', () => {
  assert.deepEqual(questionFields({ destinations: ' ::1 \n\n127.0.0.1', gaiConf: '  \n', family: 'unspec', flags: [] }), { destinations: ['::1', '127.0.0.1'] });
  assert.deepEqual(questionFields({ destinations: '', gaiConf: 'label ::/0 1\n', family: 'inet6', flags: ['AI_ADDRCONFIG'] }), {
    destinations: [], gai_conf: 'label ::/0 1\n', hints: { family: 'inet6', flags: ['AI_ADDRCONFIG'] },
  });
  assert.deepEqual(lineNumbers('a\n\n b\n'), [1, 3]);
});

test('share links: #scenario= is base64url JSON without padding', () => {
  const sc = { version: 1, destinations: ['fe80::1%eth0', '142.250.74.206'], gai_conf: 'précédence ::/0 40\n' };
  const frag = fragmentFor(sc, false);
  assert.match(frag, /^#scenario=[A-Za-z0-9_-]+$/);
  assert.equal(frag.slice('#scenario='.length), Buffer.from(JSON.stringify(sc)).toString('base64url'));
  assert.deepEqual(JSON.parse(readFragment(frag).text), sc);
  assert.equal(readFragment(frag).advanced, false);
  assert.equal(readFragment(fragmentFor(sc, true) + '&preset=x').advanced, true);
  // Padding and percent-escapes from other writers are accepted.
  const padded = Buffer.from('{"version":1}').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  assert.equal(readFragment('#scenario=' + padded.replace(/=/g, '%3D')).text, '{"version":1}');
  assert.equal(readFragment('#foo=bar'), null);
  assert.equal(readFragment(''), null);
  assert.match(readFragment('#scenario=***').error, /base64url/);
  assert.match(readFragment('#scenario=' + Buffer.from([0xff, 0xfe]).toString('base64url')).error, /UTF-8/);
});

test('musl keys: bit fields', () => {
  // 142.250.74.206 from 172.19.0.7 (index 1 of 2), as the engine reports it.
  const f = Object.fromEntries(keyFields('0x7231622f').map((x) => [x.name, x.value]));
  assert.deepEqual(f, { usable: 1, 'matching scope': 1, 'matching label': 1, precedence: 35, '15 − scope': 1, 'prefix match': 98, '48 − index': 47 });
  const g = Object.fromEntries(keyFields('0x0231002f').map((x) => [x.name, x.value]));
  assert.equal(g.usable, 0);
  assert.equal(keyFields('zz'), null);
});

test('engine errors are placed next to the field at fault', () => {
  assert.deepEqual(placeError('destinations[2]', false, [1], [1, 2, 4]), { field: 'destinations', line: 4 });
  assert.deepEqual(placeError('interfaces[0].addresses[1].cidr', false, [1, 3], []), { field: 'addresses', line: 3 });
  assert.deepEqual(placeError('routes[0].via', false, [1], []), { field: 'addresses', line: undefined });
  assert.deepEqual(placeError('interfaces[1].name', true, [], []), { field: 'json' });
  assert.deepEqual(placeError('routes[0]', true, [], []), { field: 'json' });
  assert.equal(placeError('gai_conf', true, [], []).field, 'gai');
  assert.equal(placeError('hints.flags[0]', false, [], []).field, 'hints');
  assert.equal(placeError('', false, [], []).field, 'general');
  assert.equal(placeError('', true, [], []).field, 'json');
  assert.equal(placeError('bogus', true, [], []).field, 'json');
});

test('the JSON editor text parses back to the same scenario', () => {
  for (const p of PRESETS) assert.deepEqual(JSON.parse(prettyScenario(p.scenario)), p.scenario, p.id);
  const odd = { version: 1, gai_conf: 'label [ { ::/0 1\n', interfaces: [{ name: 'a', addresses: [] }, 7, null], hints: { flags: ['AI_ALL'] } };
  assert.deepEqual(JSON.parse(prettyScenario(odd)), odd);
});
