// Presets: real situations, each a whole scenario (docs/scenario.md)
// and one line saying what it shows.

// glibc 2.36's built-in label table (sysdeps/posix/getaddrinfo.c,
// default_labels), as the commented lines of Debian's /etc/gai.conf write
// it. A gai.conf with any `label` line replaces the whole table, so a fix
// repeats it.
const GLIBC_LABELS = `label ::1/128       0
label ::/0          1
label 2002::/16     2
label ::/96         3
label ::ffff:0:0/96 4
label fec0::/10     5
label fc00::/7      6
label 2001:0::/32   7
`;

const GOOGLE = ['2a00:1450:4001:82b::200e', '142.250.74.206'];

function host(addresses, routes) {
  return {
    interfaces: [{ name: 'eth0', addresses: addresses.map((cidr) => ({ cidr })) }],
    routes,
  };
}

const dockerULA = host(['172.19.0.7/16', 'fd00:dead:beef::7/64'], [
  { to: 'default', via: '172.19.0.1', dev: 'eth0' },
  { to: '::/0', via: 'fd00:dead:beef::1', dev: 'eth0' },
]);

export const PRESETS = [
  {
    id: 'docker-ula',
    title: 'Docker bridge with a ULA',
    explain: 'A container on a Docker network with IPv6 enabled gets a ULA (fd00::/8): the ULA source does not share a label with a global IPv6 destination, so getaddrinfo puts IPv4 first and the application never tries IPv6.',
    scenario: { version: 1, ...dockerULA, destinations: GOOGLE },
  },
  {
    id: 'docker-ula-fix',
    title: 'Docker bridge with a ULA, gai.conf fixed',
    explain: 'The usual fix: give fd00::/8 the label of global addresses (label fd00::/8 1) after the full default label list. glibc now prefers IPv6; musl ignores gai.conf and keeps IPv4 first.',
    scenario: { version: 1, ...dockerULA, destinations: GOOGLE, gai_conf: GLIBC_LABELS + 'label fd00::/8 1\n' },
  },
  {
    id: 'docker-2001db8',
    title: 'Docker bridge with 2001:db8 addresses',
    explain: 'The workaround seen in many Docker set-ups: a 2001:db8::/32 (documentation) subnet instead of a ULA. The libraries take it for a global address, labels match, and IPv6 goes first: if the network does not really route it, connections stall.',
    scenario: {
      version: 1,
      ...host(['172.19.0.7/16', '2001:db8:1::7/64'], [
        { to: 'default', via: '172.19.0.1', dev: 'eth0' },
        { to: '::/0', via: '2001:db8:1::1', dev: 'eth0' },
      ]),
      destinations: GOOGLE,
    },
  },
  {
    id: 'alpine',
    title: 'Alpine container (musl) with the gai.conf fix',
    explain: 'Alpine images use musl, which never reads /etc/gai.conf: the fix that works in a Debian image does nothing here. Read the musl column.',
    scenario: { version: 1, ...dockerULA, destinations: GOOGLE, gai_conf: GLIBC_LABELS + 'label fd00::/8 1\n' },
  },
  {
    id: 'ipv4-only-localhost',
    title: 'IPv4-only container resolving localhost',
    explain: 'A container without IPv6 resolves localhost (127.0.0.1 and ::1 in /etc/hosts) with AI_ADDRCONFIG: glibc asks for IPv4 only (and its files backend reads the ::1 line as 127.0.0.1); musl keeps ::1, since loopback has it, and puts it first.',
    scenario: {
      version: 1,
      ...host(['172.19.0.7/16'], [{ to: 'default', via: '172.19.0.1', dev: 'eth0' }]),
      destinations: ['127.0.0.1', '::1'],
      hints: { flags: ['AI_ADDRCONFIG'] },
    },
  },
  {
    id: 'dual-stack',
    title: 'Dual-stack host with global IPv6',
    explain: 'A home network with NAT for IPv4 and a global IPv6 prefix: labels match for both families and IPv6 has the higher precedence, so IPv6 goes first everywhere.',
    scenario: {
      version: 1,
      ...host(['192.168.1.23/24', '2a02:8071:1234:5600::23/64'], [
        { to: 'default', via: '192.168.1.1', dev: 'eth0' },
        { to: '::/0', via: '2a02:8071:1234:5600::1', dev: 'eth0' },
      ]),
      destinations: GOOGLE,
    },
  },
  {
    id: 'link-local-only',
    title: 'Host with only link-local IPv6',
    explain: 'IPv6 is up but only fe80:: is configured: a global destination would leave from a link-local source (scopes differ), so IPv4 goes first.',
    scenario: {
      version: 1,
      ...host(['192.168.1.23/24', 'fe80::7/64'], [
        { to: 'default', via: '192.168.1.1', dev: 'eth0' },
        { to: '::/0', via: 'fe80::1', dev: 'eth0' },
      ]),
      destinations: GOOGLE,
    },
  },
  {
    id: 'vpn-ula',
    title: 'VPN with a ULA',
    explain: 'A company VPN (tun0) hands out a ULA and routes fd12:3456::/48 and 10.8.0.0/16 through the tunnel; an internal name has both. glibc\'s table gives ULAs the catch-all precedence 40 (IPv6 first); RFC 6724 and musl give them 3, below IPv4\'s 35.',
    scenario: {
      version: 1,
      interfaces: [
        { name: 'eth0', addresses: [{ cidr: '192.168.1.23/24' }] },
        { name: 'tun0', addresses: [{ cidr: '10.8.0.7/24' }, { cidr: 'fd12:3456::7/64' }] },
      ],
      routes: [
        { to: 'default', via: '192.168.1.1', dev: 'eth0' },
        { to: '10.8.0.0/16', via: '10.8.0.1', dev: 'tun0' },
        { to: 'fd12:3456::/48', via: 'fd12:3456::1', dev: 'tun0' },
      ],
      destinations: ['fd12:3456:0:1::10', '10.8.1.10'],
    },
  },
  {
    id: '6to4',
    title: '6to4 host',
    explain: 'A host with a public IPv4 address and its 6to4 prefix (2002:c000:204::/48, from 192.0.2.4): a 6to4 source has its own label, which a native IPv6 destination does not share (rule 5), so IPv4 goes first.',
    scenario: {
      version: 1,
      ...host(['192.0.2.4/24', '2002:c000:204::1/48'], [
        { to: 'default', via: '192.0.2.1', dev: 'eth0' },
        { to: '::/0', via: '2002:c000:204::2', dev: 'eth0' },
      ]),
      destinations: GOOGLE,
    },
  },
  {
    id: 'nat64',
    title: 'IPv6-only network with NAT64',
    explain: 'An IPv6-only host behind NAT64/DNS64 gets a synthesized 64:ff9b:: address and the real IPv4 one: with no IPv4 route the IPv4 address is unreachable and goes last.',
    scenario: {
      version: 1,
      ...host(['2a02:8071:1234:5600::23/64'], [
        { to: '::/0', via: '2a02:8071:1234:5600::1', dev: 'eth0' },
      ]),
      destinations: ['64:ff9b::8efa:4ace', '142.250.74.206'],
    },
  },
];

export const DEFAULT_PRESET = 'docker-ula';
