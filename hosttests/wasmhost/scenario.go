package wasmhost

import (
	"os"
	"path/filepath"
)

// Container8 is the container scenario of shared/spec/scenario.md with 8
// destinations: the scenario of the benchmarks (the engine's own
// benchmarks use the same one).
const Container8 = `{
  "version": 1,
  "interfaces": [
    {"name": "eth0",
     "addresses": [
       {"cidr": "172.19.0.7/16"},
       {"cidr": "fd00:dead:beef::7/64", "deprecated": false, "home": false}
     ]}
  ],
  "routes": [
    {"to": "default", "via": "172.19.0.1", "dev": "eth0"},
    {"to": "::/0", "via": "fd00:dead:beef::1", "dev": "eth0", "metric": 1024}
  ],
  "destinations": ["142.250.74.206", "2a00:1450:4001:82b::200e", "142.250.74.238", "2a00:1450:4001:830::200e",
	  "172.19.0.1", "fd00:dead:beef::1", "10.1.2.3", "::ffff:192.0.2.1"],
  "gai_conf": "label fd00::/8 1\n",
  "hints": {"family": "unspec", "flags": ["AI_ADDRCONFIG"]}
}`

// CacheDir is where wazero keeps compiled code between processes:
// $GAISORT_WAZERO_CACHE, or gaisort/wazero under the user's cache
// directory (empty, no cache, if there is none).
func CacheDir() string {
	if d := os.Getenv("GAISORT_WAZERO_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "gaisort", "wazero")
}
