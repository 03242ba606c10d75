package report

import (
	"path"
	"path/filepath"
	"strings"
)

// escapePath percent-encodes a slash-separated path for use in a URI
// (RFC 3986): unreserved characters, "/" and the sub-delimiters and "@"
// allowed in a path segment stay; spaces, "%", "#", "?", non-ASCII bytes
// and everything else are encoded. ":" is encoded unless keepColon is set,
// so that a relative reference never reads as a scheme.
func escapePath(p string, keepColon bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~/!$&'()*+,;=@", c) >= 0,
			c == ':' && keepColon:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// fileURI is the absolute file: URI of a directory, with a trailing slash.
func fileURI(dir string) string {
	p := filepath.ToSlash(dir)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path: file:///C:/...
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return "file://" + escapePath(p, true)
}

// artifactURI turns a finding path into a SARIF artifact URI. Relative
// paths (and absolute ones under srcRoot) become relative references with
// relative set; other absolute paths become file: URIs.
func artifactURI(p, srcRoot string) (uri string, relative bool) {
	p = filepath.ToSlash(p)
	if isAbs(p) && srcRoot != "" {
		root := strings.TrimSuffix(filepath.ToSlash(srcRoot), "/") + "/"
		if strings.HasPrefix(p, root) {
			p = strings.TrimPrefix(p, root)
		}
	}
	if isAbs(p) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		return "file://" + escapePath(p, true), false
	}
	return escapePath(path.Clean(p), false), true
}

// isAbs reports whether a slash path is absolute on Unix or Windows.
func isAbs(p string) bool {
	return strings.HasPrefix(p, "/") || len(p) >= 3 && p[1] == ':' && p[2] == '/' &&
		('a' <= p[0]|0x20 && p[0]|0x20 <= 'z')
}
