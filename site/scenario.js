// The site's pure logic, no DOM: the simple mode's host lines, the
// inferred default routes, the share link's fragment, musl's key fields and
// where an engine error belongs. Node can import this file as it is.

export const IFACE = 'eth0';

// ---- addresses ----

/** Parses an IPv4 address to a 32-bit number, or null. */
export function parseIPv4(s) {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v;
}

export function formatIPv4(v) {
  return [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
}

/** Parses an IPv6 address (no zone) to a BigInt, or null. */
export function parseIPv6(s) {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  let groups = [];
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const part = (h) => {
    if (h === '') return [];
    const out = [];
    const items = h.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseIPv4(it);
        if (v4 === null) return null;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  const head = part(halves[0]);
  if (head === null) return null;
  if (halves.length === 2) {
    const tail = part(halves[1]);
    if (tail === null || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return null;
    groups = head;
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** RFC 5952 text of a 128-bit BigInt (as Go's netip writes it). */
export function formatIPv6(v) {
  const g = [];
  for (let i = 7; i >= 0; i--) g.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a) => a.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return hex(g.slice(0, best)) + '::' + hex(g.slice(best + bestLen));
}

/** Parses "addr/len" into {family: 4|6, addr, bits} (addr a Number or BigInt), or null. */
export function parseCIDR(s) {
  const m = /^([^/\s]+)\/([0-9]{1,3})$/.exec(s);
  if (!m) return null;
  const bits = Number(m[2]);
  if (m[1].includes(':')) {
    const a = parseIPv6(m[1]);
    return a === null || bits > 128 ? null : { family: 6, addr: a, bits };
  }
  const a = parseIPv4(m[1]);
  return a === null || bits > 32 ? null : { family: 4, addr: a, bits };
}

// ---- the simple mode ----

/**
 * Parses the simple mode's lines: "address/len [deprecated|home]...".
 * Returns {addresses: [{cidr, deprecated?, home?}], lines: [line number
 * (1-based) of each address], errors: [{line, message}]}.
 */
export function parseHostLines(text) {
  const addresses = [];
  const lines = [];
  const errors = [];
  text.split('\n').forEach((raw, i) => {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return;
    const a = { cidr: words[0] };
    for (const w of words.slice(1)) {
      const f = w.toLowerCase();
      if (f === 'deprecated' || f === 'home') a[f] = true;
      else errors.push({ line: i + 1, message: `unknown word "${w}": after the address/len, write deprecated or home` });
    }
    if (!words[0].includes('/')) {
      errors.push({ line: i + 1, message: `"${words[0]}" has no /len: write it as address/prefix length, e.g. 172.19.0.7/16` });
    }
    addresses.push(a);
    lines.push(i + 1);
  });
  return { addresses, lines, errors };
}

/** The simple mode's lines for a list of addresses. */
export function formatHostLines(addresses) {
  return addresses.map((a) => [a.cidr, a.deprecated ? 'deprecated' : '', a.home ? 'home' : ''].filter(Boolean).join(' ')).join('\n');
}

/**
 * The default routes the simple mode infers: for each family present, via
 * the first address of the first subnet of that family (x.y.z.1, or
 * prefix::1), on eth0. When that is the host's own address, the next one;
 * when the subnet has no room (an IPv4 /31 or /32, an IPv6 /127 or /128),
 * a route on the link without a gateway.
 */
export function inferRoutes(addresses) {
  const routes = [];
  for (const family of [4, 6]) {
    const first = addresses.map((a) => parseCIDR(a.cidr)).find((p) => p !== null && p.family === family);
    if (!first) continue;
    const to = family === 4 ? 'default' : '::/0';
    if (family === 4) {
      if (first.bits >= 31) { routes.push({ to, dev: IFACE }); continue; }
      const size = 2 ** (32 - first.bits);
      const net = first.addr - (first.addr % size);
      let gw = net + 1;
      if (gw === first.addr) gw++;
      routes.push({ to, via: formatIPv4(gw), dev: IFACE });
    } else {
      if (first.bits >= 127) { routes.push({ to, dev: IFACE }); continue; }
      const hostBits = BigInt(128 - first.bits);
      const net = (first.addr >> hostBits) << hostBits;
      let gw = net + 1n;
      if (gw === first.addr) gw++;
      routes.push({ to, via: formatIPv6(gw), dev: IFACE });
    }
  }
  return routes;
}

/** The scenario's fields other than the host, from the form's values. */
export function questionFields({ destinations, gaiConf, family, flags }) {
  const q = { destinations: splitLines(destinations) };
  if (gaiConf.trim() !== '') q.gai_conf = gaiConf;
  const hints = {};
  if (family && family !== 'unspec') hints.family = family;
  if (flags.length > 0) hints.flags = flags;
  if (Object.keys(hints).length > 0) q.hints = hints;
  return q;
}

export function splitLines(text) {
  return text.split('\n').map((s) => s.trim()).filter((s) => s !== '');
}

/** The index (in splitLines) of each line number, for error placement. */
export function lineNumbers(text) {
  const out = [];
  text.split('\n').forEach((s, i) => { if (s.trim() !== '') out.push(i + 1); });
  return out;
}

/** A scenario from the simple mode's host text and the question fields. */
export function simpleScenario(hostText, question) {
  const host = parseHostLines(hostText);
  const sc = { version: 1 };
  if (host.addresses.length > 0) sc.interfaces = [{ name: IFACE, addresses: host.addresses }];
  const routes = inferRoutes(host.addresses);
  if (routes.length > 0) sc.routes = routes;
  Object.assign(sc, question);
  return { scenario: sc, host };
}

function defaultFamily(r) {
  if (r.to === 'default') return r.via && r.via.includes(':') ? 6 : 4;
  if (r.to === '0.0.0.0/0') return 4;
  if (r.to === '::/0') return 6;
  return 0;
}

/**
 * Whether the simple mode can show this scenario exactly: at most one
 * interface, named eth0, with plain addresses, and exactly the inferred
 * routes. Returns the host text, or null.
 */
export function simpleHostText(sc) {
  if (sc === null || typeof sc !== 'object' || Array.isArray(sc)) return null;
  const known = new Set(['version', 'interfaces', 'routes', 'destinations', 'gai_conf', 'hints']);
  if (Object.keys(sc).some((k) => !known.has(k))) return null;
  const ifs = sc.interfaces ?? [];
  if (!Array.isArray(ifs) || ifs.length > 1) return null;
  let addresses = [];
  if (ifs.length === 1) {
    const i = ifs[0];
    if (i === null || typeof i !== 'object' || i.name !== IFACE) return null;
    if (Object.keys(i).some((k) => k !== 'name' && k !== 'addresses')) return null;
    addresses = i.addresses ?? [];
    if (!Array.isArray(addresses)) return null;
    for (const a of addresses) {
      if (a === null || typeof a !== 'object' || typeof a.cidr !== 'string' || /\s/.test(a.cidr)) return null;
      for (const [k, v] of Object.entries(a)) {
        if (k === 'cidr') continue;
        if ((k !== 'deprecated' && k !== 'home') || typeof v !== 'boolean') return null;
      }
    }
  }
  const routes = sc.routes ?? [];
  if (!Array.isArray(routes)) return null;
  const want = inferRoutes(addresses);
  if (routes.length !== want.length) return null;
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i];
    const w = want[i];
    if (r === null || typeof r !== 'object') return null;
    if (Object.keys(r).some((k) => k !== 'to' && k !== 'via' && k !== 'dev')) return null;
    if (defaultFamily(r) !== defaultFamily(w) || (r.via ?? '') !== (w.via ?? '') || r.dev !== w.dev) return null;
  }
  return formatHostLines(addresses);
}

/**
 * Whether the destinations, gai.conf and hints fields can show the
 * scenario's question exactly (otherwise only the JSON editor can).
 */
export function questionFits(sc) {
  if (sc === null || typeof sc !== 'object' || Array.isArray(sc)) return false;
  const d = sc.destinations;
  if (d !== undefined && (!Array.isArray(d) || d.some((x) => typeof x !== 'string' || x.trim() !== x || x === '' || /\s/.test(x)))) return false;
  if (sc.gai_conf !== undefined && (typeof sc.gai_conf !== 'string' || sc.gai_conf.trim() === '' && sc.gai_conf !== '')) return false;
  const h = sc.hints;
  if (h === undefined) return true;
  if (h === null || typeof h !== 'object' || Array.isArray(h)) return false;
  if (Object.keys(h).some((k) => k !== 'family' && k !== 'flags')) return false;
  if (h.family !== undefined && !['unspec', 'inet', 'inet6'].includes(h.family)) return false;
  const known = ['AI_ADDRCONFIG', 'AI_V4MAPPED', 'AI_ALL'];
  if (h.flags !== undefined && (!Array.isArray(h.flags) || h.flags.some((f) => !known.includes(f)) || new Set(h.flags).size !== h.flags.length)) return false;
  return true;
}

// ---- the share link ----

export function base64url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function unbase64url(s) {
  const b = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b + '='.repeat((4 - (b.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The fragment for a scenario: #scenario=<base64url of its JSON, no padding>. */
export function fragmentFor(sc, advanced, models) {
  return '#scenario=' + base64url(new TextEncoder().encode(JSON.stringify(sc))) + (advanced ? '&mode=advanced' : '') +
    (models ? '&models=' + models.join(',') : '');
}

/**
 * Reads a fragment: {text (the scenario JSON), advanced, models} or {error},
 * or null when it holds no scenario. models is the list of &models= (model
 * names or aliases, comma-separated), or null for the default models.
 */
export function readFragment(hash) {
  const params = new Map();
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  if (!params.has('scenario')) return null;
  const advanced = params.get('mode') === 'advanced';
  const list = params.has('models') ? decodeURIComponent(params.get('models')).split(',').map((m) => m.trim()).filter(Boolean) : [];
  const models = list.length ? list : null;
  try {
    const raw = decodeURIComponent(params.get('scenario'));
    if (!/^[A-Za-z0-9_-]*={0,2}$/.test(raw)) throw new Error('not base64url');
    const text = new TextDecoder('utf-8', { fatal: true }).decode(unbase64url(raw.replace(/=+$/, '')));
    return { text, advanced, models };
  } catch (err) {
    return { error: `the link's #scenario= is not base64url-encoded UTF-8 JSON (${err.message})`, advanced, models };
  }
}

// ---- the JSON editor's text ----

/**
 * The JSON editor's text: one line per top-level field, per interface (its
 * addresses one per line) and per route; `JSON.parse` gives sc back.
 */
export function prettyScenario(sc) {
  if (sc === null || typeof sc !== 'object' || Array.isArray(sc)) return JSON.stringify(sc, null, 2);
  const flat = (v) => {
    if (Array.isArray(v)) return '[' + v.map(flat).join(', ') + ']';
    if (v !== null && typeof v === 'object') return '{' + Object.entries(v).map(([k, x]) => JSON.stringify(k) + ': ' + flat(x)).join(', ') + '}';
    return JSON.stringify(v) ?? 'null';
  };
  const item = (k, x) => {
    if (k === 'interfaces' && x && typeof x === 'object' && !Array.isArray(x) && Array.isArray(x.addresses) && x.addresses.length > 0) {
      const { addresses, ...rest } = x;
      const head = flat(rest).slice(0, -1);
      return '    ' + head + (head.length > 1 ? ', ' : '') + '"addresses": [\n' +
        addresses.map((a) => '      ' + flat(a)).join(',\n') + '\n    ]}';
    }
    return '    ' + flat(x);
  };
  const lines = Object.entries(sc).map(([k, v]) => {
    let val;
    if (Array.isArray(v) && v.length > 0 && v.some((x) => x !== null && typeof x === 'object')) {
      val = '[\n' + v.map((x) => item(k, x)).join(',\n') + '\n  ]';
    } else {
      val = flat(v);
    }
    return '  ' + JSON.stringify(k) + ': ' + val;
  });
  return '{\n' + lines.join(',\n') + '\n}';
}

// ---- the answer ----

/** musl 1.2.3's sort key (lookup_name.c, __lookup_name), by field. */
export function keyFields(hex) {
  const k = parseInt(hex, 16);
  if (!Number.isFinite(k)) return null;
  const scope15 = (k >>> 16) & 0xf;
  const idx48 = k & 0xff;
  const bit = (n) => (k >>> n) & 1;
  return [
    { name: 'usable', bits: '30', value: bit(30), means: bit(30) ? 'a route exists' : 'no route' },
    { name: 'matching scope', bits: '29', value: bit(29), means: bit(29) ? 'same scope as the source' : 'scopes differ' },
    { name: 'matching label', bits: '28', value: bit(28), means: bit(28) ? 'same label as the source' : 'labels differ' },
    { name: 'precedence', bits: '20–27', value: (k >>> 20) & 0xff, means: 'the destination\'s' },
    { name: '15 − scope', bits: '16–19', value: scope15, means: `scope ${15 - scope15} (${scopeName(15 - scope15)})` },
    { name: 'prefix match', bits: '8–15', value: (k >>> 8) & 0xff, means: 'bits in common with the source' },
    { name: '48 − index', bits: '0–7', value: idx48, means: `resolver position ${48 - idx48} (from 0)` },
  ];
}

export function scopeName(s) {
  switch (s) {
    case 1: return 'interface-local';
    case 2: return 'link-local';
    case 4: return 'admin-local';
    case 5: return 'site-local';
    case 8: return 'organization-local';
    case 14: return 'global';
    default: return `scope ${s}`;
  }
}

/**
 * Where an engine error belongs: 'addresses', 'json', 'destinations',
 * 'gai', 'hints' or 'general', with the offending line when known.
 */
export function placeError(path, advanced, hostLines, destLines) {
  let m = /^destinations\[(\d+)\]/.exec(path);
  if (m) return { field: 'destinations', line: destLines?.[Number(m[1])] };
  if (/^gai_conf/.test(path)) return { field: 'gai', line: undefined };
  if (/^hints/.test(path)) return { field: 'hints' };
  if (/^destinations/.test(path)) return { field: 'destinations' };
  if (/^(interfaces|routes)/.test(path)) {
    if (advanced) return { field: 'json' };
    m = /^interfaces\[0\]\.addresses\[(\d+)\]/.exec(path);
    return { field: 'addresses', line: m ? hostLines?.[Number(m[1])] : undefined };
  }
  return { field: advanced ? 'json' : 'general' };
}
