package analyzer

import "os"

// WriteFileAtomic replaces path with data the way --fix does: through a
// temporary file in the same directory, keeping the file's mode, and only
// if the file still holds orig (it fails when the file changed meanwhile).
func WriteFileAtomic(path string, orig, data []byte) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	return writeAtomic(path, orig, data, st.Mode())
}
