package analyzer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// skipDirs are never entered by the walk (they are still analysed when
// named explicitly).
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, ".bzr": true, ".tox": true, ".nox": true,
	".venv": true, "venv": true, ".direnv": true, ".eggs": true, ".mypy_cache": true,
	".pytest_cache": true, ".ruff_cache": true, ".mlflowlint_cache": true, ".ipynb_checkpoints": true, ".pytype": true,
	"__pycache__": true, "__pypackages__": true, "node_modules": true, "site-packages": true,
	"dist-packages": true, "buck-out": true, "_build": true,
}

// Target is one file the walk selected.
type Target struct {
	Path     string // as shown to the user
	Explicit bool   // named on the command line
}

// WalkOptions tune file selection.
type WalkOptions struct {
	// Include decides which files of a walked directory are analysed.
	Include func(path string) bool
	// Exclude, when set, drops walked files and directories (and explicit
	// files too when ForceExclude is set).
	Exclude          func(path string, isDir bool) bool
	ForceExclude     bool
	RespectGitignore bool
}

// IsPython reports whether a path is a Python source or notebook by name.
func IsPython(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".py", ".pyi", ".ipynb":
		return true
	}
	return false
}

// Walk expands paths into sorted, de-duplicated targets. Errors are
// returned per path; a path that does not exist is fatal.
func Walk(paths []string, opt WalkOptions) ([]Target, []FileError) {
	var out []Target
	errs := walkEach(paths, opt, runtime.GOMAXPROCS(0), func(ts []Target) { out = append(out, ts...) })
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, errs
}

// walkEach expands paths as Walk does, but hands the targets to emit as
// they are found (de-duplicated, a directory's files at a time, one call
// at a time), so that the files can be analysed while the walk goes on.
// The paths are taken in order, and a directory's tree is listed by up to
// walkers goroutines at once: a file named twice keeps its first mention,
// and the errors of each tree come sorted by path.
//
// A directory's own listing tells whether it is a virtualenv and holds a
// .gitignore: filepath.WalkDir's walk asked the file system about both in
// every directory (1,646 failed calls on the benchmark corpus), on one
// goroutine that finished its listings about 80 ms into a 140 ms warm run.
func walkEach(paths []string, opt WalkOptions, walkers int, emit func([]Target)) []FileError {
	if opt.Include == nil {
		opt.Include = IsPython
	}
	w := &walker{opt: opt, emit: emit, seen: map[string]bool{}}
	for _, root := range paths {
		info, ferr := statRoot(root)
		if ferr != nil {
			w.errs = append(w.errs, *ferr)
			continue
		}
		if !info.IsDir() {
			if opt.ForceExclude && opt.Exclude != nil && opt.Exclude(root, false) {
				continue
			}
			w.add([]Target{{Path: filepath.ToSlash(root), Explicit: true}})
			continue
		}
		w.tree(root, max(walkers, 1))
	}
	return w.errs
}

// walker is the state of one walkEach.
type walker struct {
	opt  WalkOptions
	emit func([]Target)
	mu   sync.Mutex // guards seen, errs and calls of emit
	seen map[string]bool
	errs []FileError
}

// add hands the targets not seen before to emit.
func (w *walker) add(ts []Target) {
	w.mu.Lock()
	defer w.mu.Unlock()
	keep := ts[:0]
	for _, t := range ts {
		key := filepath.Clean(filepath.FromSlash(t.Path))
		if !w.seen[key] {
			w.seen[key] = true
			keep = append(keep, t)
		}
	}
	if len(keep) > 0 {
		w.emit(keep)
	}
}

// walkTask is a directory to list, with the ignore rules of its parent's
// entries extended to it (nil when .gitignore is not read).
type walkTask struct {
	dir  string
	igns *ignoreDir
	root bool
}

// tree lists the directory root and everything below it with n
// goroutines, which take directories from a shared stack.
func (w *walker) tree(root string, n int) {
	// As filepath.WalkDir: a root that is a link to a directory is not
	// followed.
	if fi, err := os.Lstat(root); err != nil {
		w.fail(FileError{Path: filepath.ToSlash(root), Message: describeErr(err)})
		return
	} else if !fi.IsDir() {
		return
	}
	var igns *ignoreDir
	if w.opt.RespectGitignore {
		igns = rootIgnores(root)
	}
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		stack   = []walkTask{{dir: root, igns: igns, root: true}}
		pending = 1 // tasks pushed and not yet finished
		errs    []FileError
	)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			var scratch []string
			for {
				mu.Lock()
				for len(stack) == 0 && pending > 0 {
					cond.Wait()
				}
				if pending == 0 {
					mu.Unlock()
					return
				}
				t := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				mu.Unlock()
				subs, ferrs := w.list(t, &scratch)
				mu.Lock()
				stack = append(stack, subs...)
				errs = append(errs, ferrs...)
				pending += len(subs) - 1
				cond.Broadcast()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Path < errs[j].Path })
	for _, e := range errs {
		w.fail(e)
	}
}

func (w *walker) fail(e FileError) {
	w.mu.Lock()
	w.errs = append(w.errs, e)
	w.mu.Unlock()
}

// list reads one directory: it hands its selected files to add and
// returns its subdirectories to enter.
func (w *walker) list(t walkTask, scratch *[]string) (subs []walkTask, errs []FileError) {
	f, err := os.Open(t.dir)
	var entries []fs.DirEntry
	if err == nil {
		entries, err = f.ReadDir(-1)
		f.Close()
	}
	if err != nil {
		return nil, []FileError{{Path: filepath.ToSlash(t.dir), Message: describeErr(err)}}
	}
	igns := t.igns
	for _, e := range entries {
		switch e.Name() {
		case "pyvenv.cfg":
			// A virtualenv, when the marker stats (a broken link does
			// not); never the walked root itself.
			if !t.root {
				if _, err := os.Stat(filepath.Join(t.dir, e.Name())); err == nil {
					return nil, nil
				}
			}
		case ".gitignore":
			if igns != nil {
				igns = igns.withFile(t.dir)
			}
		}
	}
	var files []Target
	for _, e := range entries {
		// A directory below the root is a root's path joined with names,
		// clean already, and an entry's name is one element: their join
		// needs no cleaning (filepath.Join cleans, 5% of a warm run).
		p := t.dir + string(filepath.Separator) + e.Name()
		if t.root {
			p = filepath.Join(t.dir, e.Name())
		}
		if e.IsDir() {
			if skipDirs[e.Name()] {
				continue
			}
			if w.opt.Exclude != nil && w.opt.Exclude(p, true) {
				continue
			}
			if igns != nil && igns.ignored(e.Name(), true, scratch) {
				continue
			}
			sub := walkTask{dir: p}
			if igns != nil {
				sub.igns = igns.child(e.Name())
			}
			subs = append(subs, sub)
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			// Follow links to files, never to directories (no loops,
			// nothing outside the tree by surprise).
			st, err := os.Stat(p)
			if err != nil {
				errs = append(errs, FileError{Path: filepath.ToSlash(p), Message: "broken symbolic link: " + describeErr(err)})
				continue
			}
			if !st.Mode().IsRegular() {
				continue // a directory, device or pipe: never read
			}
		} else if !e.Type().IsRegular() {
			continue
		}
		if !w.opt.Include(p) {
			continue
		}
		if w.opt.Exclude != nil && w.opt.Exclude(p, false) {
			continue
		}
		if igns != nil && igns.ignored(e.Name(), false, scratch) {
			continue
		}
		files = append(files, Target{Path: filepath.ToSlash(p)})
	}
	if len(files) > 0 {
		w.add(files)
	}
	return subs, errs
}

func within(p, dir string) bool {
	if dir == "." {
		return !strings.HasPrefix(p, "..")
	}
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// describeErr turns file system errors into short messages.
// MissingPaths returns a fatal error for each of paths that cannot be
// stat'ed (it does not exist, or a directory on the way is unreadable), so
// that a caller can refuse the whole run before analysing or fixing
// anything.
func MissingPaths(paths []string) []FileError {
	var errs []FileError
	for _, p := range paths {
		if _, ferr := statRoot(p); ferr != nil {
			errs = append(errs, *ferr)
		}
	}
	return errs
}

// statRoot stats a path named on the command line.
func statRoot(root string) (fs.FileInfo, *FileError) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, &FileError{Path: filepath.ToSlash(root), Message: describeErr(err), Fatal: true}
	}
	return info, nil
}

func describeErr(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
