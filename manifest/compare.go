package manifest

// CompareVersions orders two PEP 440 versions as packaging's Version does
// (local labels are not compared): -1, 0 or 1. It fails on a string that
// is not a PEP 440 version.
func CompareVersions(a, b string) (int, error) {
	va, err := parseVersion(a)
	if err != nil {
		return 0, err
	}
	vb, err := parseVersion(b)
	if err != nil {
		return 0, err
	}
	return compareVersions(va, vb), nil
}

// Release returns the release segments of a PEP 440 version ("3.4" gives
// [3 4]), as packaging's Version.release does.
func Release(v string) ([]int, error) {
	pv, err := parseVersion(v)
	if err != nil {
		return nil, err
	}
	return append([]int(nil), pv.release...), nil
}
