package analyzer

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is an MLflow release number.
type Version struct{ Major, Minor, Patch int }

// ParseVersion reads "3", "3.4" or "3.4.1".
func ParseVersion(s string) (Version, error) {
	var v Version
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) == 0 || len(parts) > 3 || parts[0] == "" {
		return v, fmt.Errorf("invalid version %q (want MAJOR.MINOR, for example 3.4)", s)
	}
	nums := []*int{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Version{}, fmt.Errorf("invalid version %q (want MAJOR.MINOR, for example 3.4)", s)
		}
		*nums[i] = n
	}
	return v, nil
}

// MustVersion is ParseVersion for constants.
func MustVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// Less reports whether v < w.
func (v Version) Less(w Version) bool { return v.Compare(w) < 0 }

// Compare returns -1, 0 or 1.
func (v Version) Compare(w Version) int {
	for _, d := range [][2]int{{v.Major, w.Major}, {v.Minor, w.Minor}, {v.Patch, w.Patch}} {
		if d[0] != d[1] {
			if d[0] < d[1] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// IsZero reports whether v is unset.
func (v Version) IsZero() bool { return v == Version{} }

func (v Version) String() string {
	if v.Patch != 0 {
		return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	}
	return fmt.Sprintf("%d.%d", v.Major, v.Minor)
}
