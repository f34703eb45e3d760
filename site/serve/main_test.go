package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHandler(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	write("index.html", "<!doctype html>")
	write("gaisort.wasm", "\x00asm raw")
	write("gaisort.wasm.gz", "gzipped bytes")
	write("app.js", "export {}")
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()

	get := func(path, enc string) *http.Response {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		// The transport would add gzip and decode it: ask for exactly enc.
		tr := &http.Transport{DisableCompression: true}
		res, err := tr.RoundTrip(req)
		require.NoError(t, err)
		res.Body.Close()
		return res
	}
	tests := []struct {
		path, enc       string
		status          int
		ctype, encoding string
		length          int64
	}{
		{"/", "", 200, "text/html; charset=utf-8", "", 15},
		{"/gaisort.wasm", "", 200, "application/wasm", "", 8},
		{"/gaisort.wasm", "gzip, deflate, br", 200, "application/wasm", "gzip", 13},
		{"/gaisort.wasm", "br, gzip;q=0", 200, "application/wasm", "", 8},
		{"/app.js", "gzip", 200, "text/javascript; charset=utf-8", "", 9},
		{"/missing", "", 404, "", "", -1},
		{"/../../etc/passwd", "", 404, "", "", -1},
	}
	for _, tc := range tests {
		t.Run(tc.path+" "+tc.enc, func(t *testing.T) {
			res := get(tc.path, tc.enc)
			assert.Equal(t, tc.status, res.StatusCode)
			assert.Equal(t, CSP, res.Header.Get("Content-Security-Policy"))
			if tc.status != 200 {
				return
			}
			assert.Equal(t, tc.ctype, res.Header.Get("Content-Type"))
			assert.Equal(t, tc.encoding, res.Header.Get("Content-Encoding"))
			assert.Equal(t, tc.length, res.ContentLength)
			assert.Contains(t, res.Header.Values("Vary"), "Accept-Encoding")
		})
	}
}

func TestCSPMatchesIndexHTML(t *testing.T) {
	html, err := os.ReadFile("../index.html")
	require.NoError(t, err)
	assert.Contains(t, string(html), `http-equiv="Content-Security-Policy" content="`+CSP+`"`)
}
