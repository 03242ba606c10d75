package analyzer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
	errs := walkEach(paths, opt, func(t Target) { out = append(out, t) })
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, errs
}

// walkEach expands paths as Walk does, but hands each target to emit as it
// is found (de-duplicated, in the order of the walk), so that the files can
// be analysed while the walk goes on.
func walkEach(paths []string, opt WalkOptions, emit func(Target)) []FileError {
	if opt.Include == nil {
		opt.Include = IsPython
	}
	seen := map[string]bool{}
	var errs []FileError
	add := func(p string, explicit bool) {
		key := filepath.Clean(p)
		if seen[key] {
			return
		}
		seen[key] = true
		emit(Target{Path: filepath.ToSlash(p), Explicit: explicit})
	}
	for _, root := range paths {
		info, ferr := statRoot(root)
		if ferr != nil {
			errs = append(errs, *ferr)
			continue
		}
		if !info.IsDir() {
			if opt.ForceExclude && opt.Exclude != nil && opt.Exclude(root, false) {
				continue
			}
			add(root, true)
			continue
		}
		var ignores *ignoreRules
		if opt.RespectGitignore {
			ignores = newIgnoreRules(root)
		}
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, FileError{Path: filepath.ToSlash(p), Message: describeErr(err)})
				if d != nil && d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p != root {
					name := d.Name()
					if skipDirs[name] || isVirtualenv(p) {
						return filepath.SkipDir
					}
					if opt.Exclude != nil && opt.Exclude(p, true) {
						return filepath.SkipDir
					}
					if ignores != nil && ignores.ignored(p, true) {
						return filepath.SkipDir
					}
				}
				if ignores != nil {
					ignores.enter(p)
				}
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				// Follow links to files, never to directories (no loops,
				// nothing outside the tree by surprise).
				st, err := os.Stat(p)
				if err != nil {
					errs = append(errs, FileError{Path: filepath.ToSlash(p), Message: "broken symbolic link: " + describeErr(err)})
					return nil
				}
				if !st.Mode().IsRegular() {
					return nil // a directory, device or pipe: never read
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			if !opt.Include(p) {
				return nil
			}
			if opt.Exclude != nil && opt.Exclude(p, false) {
				return nil
			}
			if ignores != nil && ignores.ignored(p, false) {
				return nil
			}
			add(p, false)
			return nil
		})
	}
	return errs
}

func within(p, dir string) bool {
	if dir == "." {
		return !strings.HasPrefix(p, "..")
	}
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

func isVirtualenv(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "pyvenv.cfg"))
	return err == nil
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
