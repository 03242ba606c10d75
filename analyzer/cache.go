package analyzer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/mlflowlint/mlflowlint/apidb"
)

// DefaultCacheDir is where the command keeps its cache unless told
// otherwise.
const DefaultCacheDir = ".mlflowlint_cache"

// DefaultCacheBytes bounds the size of a cache's entries.
const DefaultCacheBytes = 256 << 20

// cacheFormat names the layout of entries; a new layout gets a new
// directory, and the old one is left to be deleted with the cache.
const cacheFormat = "v1"

// Cache keeps the result of analysing one Python file, keyed by a hash of
// everything the result depends on: the file's path and bytes, the
// settings of the run (rules, target version, fix safety, per-file
// ignores) and Options.CacheKeyExtra, in which the command puts its
// version and build. A changed byte or setting makes a new key, so a
// result is never served for anything but the input it was computed from.
//
// Each entry is one file, written to a temporary name and renamed into
// place, so concurrent runs sharing a directory see whole entries or none.
// An entry that does not check out (truncated, corrupt, another format) is
// ignored and rewritten. When a run has added entries, the oldest are
// removed until the entries fit in the size bound.
type Cache struct {
	dir      string // the entries
	maxBytes int64
	wrote    atomic.Bool
}

// OpenCache opens (creating it when needed) the cache in dir. The
// directory gets a .gitignore that ignores all of it and a CACHEDIR.TAG
// that backup tools recognise. maxBytes <= 0 means DefaultCacheBytes.
func OpenCache(dir string, maxBytes int64) (*Cache, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	entries := filepath.Join(dir, cacheFormat)
	if err := os.MkdirAll(entries, 0o755); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	for name, body := range map[string]string{
		".gitignore": "# Created by mlflowlint.\n*\n",
		"CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n" +
			"# This file is a cache directory tag created by mlflowlint.\n",
	} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			if err := writeEntry(dir, p, []byte(body)); err != nil {
				return nil, fmt.Errorf("cache: %w", err)
			}
		}
	}
	return &Cache{dir: entries, maxBytes: maxBytes}, nil
}

// cacheKey is the hash naming an entry.
type cacheKey [sha256.Size]byte

func (k cacheKey) name() string { return hex.EncodeToString(k[:]) }

// cached is what an entry holds: the outcome of one file.
type cached struct {
	Findings []Finding `json:"findings"`
}

// entryMagic starts every entry, followed by the hash of the payload.
const entryMagic = "mlflowlint-cache " + cacheFormat + " "

func (c *Cache) get(k cacheKey) (*cached, bool) {
	data, err := readEntry(filepath.Join(c.dir, k.name()))
	if err != nil {
		return nil, false
	}
	head, payload, ok := bytes.Cut(data, []byte{'\n'})
	sum, ok2 := bytes.CutPrefix(head, []byte(entryMagic))
	if !ok || !ok2 {
		return nil, false
	}
	want := sha256.Sum256(payload)
	if string(sum) != hex.EncodeToString(want[:]) {
		return nil, false
	}
	fs, err := decodeEntry(payload)
	if err != nil {
		return nil, false
	}
	return &cached{Findings: fs}, true
}

// maxEntryBytes bounds what get reads of one entry.
const maxEntryBytes = 64 << 20

// readEntry reads an entry file the way sources are read (openSource,
// without the runtime's poller: a warm run reads one entry per file that
// mentions MLflow).
func readEntry(path string) ([]byte, error) {
	f, err := openSource(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	mode, size, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !mode.IsRegular() || size > maxEntryBytes {
		return nil, errors.New("not a cache entry")
	}
	return readUpTo(f, nil, size, maxEntryBytes)
}

// put stores an entry; failures only cost the next run its hit.
func (c *Cache) put(k cacheKey, e *cached) {
	payload := encodeEntry(e.Findings)
	sum := sha256.Sum256(payload)
	data := make([]byte, 0, len(entryMagic)+2*len(sum)+1+len(payload))
	data = append(data, entryMagic...)
	data = hex.AppendEncode(data, sum[:])
	data = append(data, '\n')
	data = append(data, payload...)
	if writeEntry(c.dir, filepath.Join(c.dir, k.name()), data) == nil {
		c.wrote.Store(true)
	}
}

// writeEntry writes data to path through a temporary file in dir.
func writeEntry(dir, path string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}

// trim removes the oldest entries (and temporary files left by killed
// runs) until the rest fit in the size bound, down to three quarters of it
// so that the next runs do not trim again at once. It runs only after a
// run that wrote entries.
func (c *Cache) trim() {
	if !c.wrote.Load() {
		return
	}
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	type entry struct {
		name string
		size int64
		mod  int64
	}
	var all []entry
	var total int64
	for _, de := range des {
		info, err := de.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		all = append(all, entry{de.Name(), info.Size(), info.ModTime().UnixNano()})
		total += info.Size()
	}
	if total <= c.maxBytes {
		return
	}
	slices.SortFunc(all, func(a, b entry) int {
		if a.mod != b.mod {
			return int(min(max(a.mod-b.mod, -1), 1))
		}
		return strings.Compare(a.name, b.name)
	})
	for _, e := range all {
		if total <= c.maxBytes/4*3 {
			break
		}
		// Another run may have removed it already: it is gone either way.
		_ = os.Remove(filepath.Join(c.dir, e.name))
		total -= e.size
	}
}

// cacheSettings hashes the settings of a run that a file's result depends
// on; fileKey adds what depends on the file.
func cacheSettings(opt Options) []byte {
	h := sha256.New()
	w := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(strconv.Itoa(len(p))))
			h.Write([]byte{':'})
			h.Write([]byte(p))
		}
	}
	w(cacheFormat, opt.CacheKeyExtra, opt.Target.String(),
		strconv.FormatBool(opt.UnsafeFixes), strconv.FormatBool(opt.NoPrefilter), strconv.FormatBool(opt.ReportUnusedNoqa))
	// The generic rules' findings depend on the API data and on the
	// migration's source and target releases.
	api := DefaultAPIRange()
	if opt.API != nil {
		api = *opt.API
	}
	w(apidb.DataVersion(), fmt.Sprint(api.Source, api.Target))
	var names []string
	for _, a := range opt.Rules {
		names = append(names, "py:"+a.Name)
	}
	for _, t := range opt.TextRules {
		names = append(names, "text:"+t.Code)
	}
	slices.Sort(names)
	w(names...)
	return h.Sum(nil)
}

// fileKey is the cache key of a file's result: the run's settings, the
// file's path and per-file ignores, and a digest of its bytes (computed
// once per sharedParse, for the drivers of a matrix to share).
func (d *driver) fileKey(path string, explicit bool, src []byte, sp *sharedParse) cacheKey {
	sum := sp.digest(src)
	h := sha256.New()
	h.Write(d.cacheSettings)
	var ignored []string
	if d.opt.IgnoreFor != nil {
		ignored = slices.Clone(d.opt.IgnoreFor(path))
		slices.Sort(ignored)
	}
	fmt.Fprintf(h, "%d:%s|%t|%d:%s|%d:", len(path), path, explicit, len(ignored), strings.Join(ignored, ","), len(src))
	h.Write(sum[:])
	var k cacheKey
	h.Sum(k[:0])
	return k
}
