package nginxgatewayfabric

import "strconv"

// The NGF CRDs take sizes as ^\d{1,4}(k|m|g)?$ and durations as
// ^[0-9]{1,4}(ms|s|m|h)?$: at most four digits and one unit, which nginx
// reads as written.

// size writes bytes in the largest unit that holds it exactly in four
// digits; ok is false when none does (10001 bytes, say).
func size(bytes int64) (string, bool) {
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"g", 1 << 30}, {"m", 1 << 20}, {"k", 1 << 10}, {"", 1}} {
		if bytes%u.n == 0 && bytes/u.n <= 9999 {
			return strconv.FormatInt(bytes/u.n, 10) + u.suffix, true
		}
	}
	return "", false
}

// duration writes seconds as seconds, minutes or hours, whichever holds it
// exactly in four digits; ok is false when none does.
func duration(seconds int64) (string, bool) {
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"s", 1}, {"m", 60}, {"h", 3600}} {
		if seconds%u.n == 0 && seconds/u.n <= 9999 {
			return strconv.FormatInt(seconds/u.n, 10) + u.suffix, true
		}
	}
	return "", false
}
