// Command serve serves the gaisort site (build/site, made by `make site`)
// on a local address, with the headers the site is written for:
//
//   - .wasm as application/wasm (streaming compilation needs it);
//   - the precompressed FILE.gz in place of FILE when the client accepts
//     gzip (Content-Encoding: gzip, Vary: Accept-Encoding);
//   - the site's Content-Security-Policy (index.html carries the same
//     policy in a meta tag for other static servers).
//
// Standard library only; it stops on Ctrl-C (SIGINT) or SIGTERM.
//
//	go run ./site/serve [-addr localhost:8080] [-dir build/site]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// CSP is the site's Content-Security-Policy: everything from the site
// itself, WebAssembly compilation allowed, no inline script or style, no
// framing. Keep it equal to the meta tag in site/index.html.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

func main() {
	addr := flag.String("addr", "localhost:8080", "listen address (host:port; port 0 picks a free port)")
	dir := flag.String("dir", "build/site", "the built site")
	flag.Parse()
	if st, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil || st.IsDir() {
		log.Fatalf("serve: %s/index.html not found: run `make site` first", *dir)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("serve: %v", err)
	}
	srv := &http.Server{Handler: Handler(*dir), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The one line tests and people read: the address to open.
	fmt.Printf("serving %s on http://%s/ (Ctrl-C stops)\n", *dir, ln.Addr())
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("serve: %v", err)
	}
}

// Handler serves the files under dir.
func Handler(dir string) http.Handler {
	root := http.Dir(dir)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := path.Clean("/" + r.URL.Path)
		if strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		f, err := root.Open(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		st, err := f.Stat()
		if err != nil || st.IsDir() {
			f.Close()
			if err == nil {
				// A directory: its index.html.
				http.Redirect(w, r, strings.TrimSuffix(r.URL.Path, "/")+"/", http.StatusMovedPermanently)
				return
			}
			http.NotFound(w, r)
			return
		}
		ctype := contentType(name)
		if ctype != "" {
			h.Set("Content-Type", ctype)
		}
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			if gz, err := root.Open(name + ".gz"); err == nil {
				if gst, err := gz.Stat(); err == nil && !gst.IsDir() {
					f.Close()
					defer gz.Close()
					h.Set("Content-Encoding", "gzip")
					http.ServeContent(w, r, name, gst.ModTime(), gz)
					return
				}
				gz.Close()
			}
		}
		defer f.Close()
		http.ServeContent(w, r, name, st.ModTime(), f)
	})
}

// contentType is the media type by extension; .wasm is application/wasm
// whatever the system's mime tables say.
func contentType(name string) string {
	switch ext := path.Ext(name); ext {
	case ".wasm":
		return "application/wasm"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".gz":
		return "application/gzip"
	default:
		return mime.TypeByExtension(ext)
	}
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (listed without q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.TrimSpace(coding) != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			return false
		}
		return true
	}
	return false
}
