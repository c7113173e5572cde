package htpasswd

import (
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/routeshift/routeshift/internal/convert/implementations/intent"
)

// Limits on a user list: a Secret holds at most 1 MiB.
const (
	MaxUsers = 10000
	maxFile  = 1 << 20
)

// Users is a readable user list.
type Users struct {
	// Lines are "user:{SHA}hash", in file order for auth-file and sorted
	// by user for auth-map, each user once (nginx uses a user's first line).
	Lines []string
	// AsIs is true when the Secret's auth key already holds exactly Lines
	// (auth-file without comment fields or repeated users), so a gateway
	// that reads any key can reference the Secret itself instead of a copy.
	AsIs bool
}

type entry struct{ user, hash string }

// Type checks auth-type as package intent read it: basic, the only scheme
// an htpasswd list serves; digest is refused as something vendor (named in
// the error) does not have.
func Type(t intent.Value[string], vendor string) error {
	switch {
	case t.Err != nil:
		return t.Err
	case t.V == "digest":
		return errors.New("digest authentication, which " + vendor + " does not have")
	}
	return nil
}

// Read reads an auth Secret's data (values still base64, as in the input)
// of the given type, "auth-file" or "auth-map", for an Envoy-based gateway:
// every user must have a {SHA} hash, the one kind Envoy checks.
func Read(data map[string]string, kind string) (Users, error) {
	return read(data, kind, true)
}

// ReadAny reads a Secret as Read does, for a gateway that is nginx and
// reads every hash nginx's auth_basic_user_file reads (crypt, $apr1$,
// {SHA}, {SSHA}, ...): hashes are copied as they are.
func ReadAny(data map[string]string, kind string) (Users, error) {
	return read(data, kind, false)
}

func read(data map[string]string, kind string, shaOnly bool) (Users, error) {
	var entries []entry
	asIs := kind == "auth-file"
	switch kind {
	case "auth-file":
		file, err := decode(data["auth"])
		if err != nil {
			return Users{}, fmt.Errorf("key auth: %w", err)
		}
		for _, line := range strings.Split(file, "\n") {
			line = strings.TrimSuffix(line, "\r")
			if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
				continue
			}
			user, rest, ok := strings.Cut(line, ":")
			if !ok {
				return Users{}, errors.New("key auth has a line that is not user:hash")
			}
			hash, _, hasComment := strings.Cut(rest, ":") // nginx allows a trailing comment field
			if hasComment {
				asIs = false
			}
			entries = append(entries, entry{user, hash})
		}
	case "auth-map":
		users := make([]string, 0, len(data))
		for u := range data {
			users = append(users, u)
		}
		sort.Strings(users)
		for _, u := range users {
			hash, err := decode(data[u])
			if err != nil {
				return Users{}, fmt.Errorf("a user's value: %w", err)
			}
			entries = append(entries, entry{u, strings.TrimSpace(hash)})
		}
	default:
		return Users{}, fmt.Errorf("unknown Secret type %q", kind)
	}
	return check(entries, asIs, shaOnly)
}

func check(entries []entry, asIs, shaOnly bool) (Users, error) {
	if len(entries) == 0 {
		return Users{}, errors.New("it holds no users")
	}
	if len(entries) > MaxUsers {
		return Users{}, fmt.Errorf("more than %d users", MaxUsers)
	}
	schemes := map[string]int{}
	seen := map[string]bool{}
	var lines []string
	for _, e := range entries {
		if e.user == "" || len(e.user) > 255 || strings.ContainsAny(e.user, ":\r\n\x00") || strings.TrimSpace(e.user) != e.user {
			return Users{}, errors.New("a user name is empty, too long or holds a colon, space or control character")
		}
		if !shaOnly && e.hash == "" {
			return Users{}, errors.New("a user has an empty password hash")
		}
		if s := scheme(e.hash); shaOnly && s != "" {
			schemes[s]++
			continue
		}
		if seen[e.user] {
			asIs = false
			continue
		}
		seen[e.user] = true
		lines = append(lines, e.user+":"+e.hash)
	}
	if len(schemes) > 0 {
		var parts []string
		bad := 0
		for s, n := range schemes {
			parts = append(parts, fmt.Sprintf("%d with %s", n, s))
			bad += n
		}
		sort.Strings(parts)
		return Users{}, fmt.Errorf("only {SHA} hashes (htpasswd -s) work, and %d of %d users have others (%s); re-hash their passwords", bad, len(entries), strings.Join(parts, ", "))
	}
	return Users{Lines: lines, AsIs: asIs}, nil
}

// scheme names the hash scheme of a non-{SHA} hash, or "" for a valid
// {SHA} one (base64 of 20 bytes, as Envoy Gateway and kgateway check).
func scheme(hash string) string {
	if sum, ok := strings.CutPrefix(hash, "{SHA}"); ok {
		if raw, err := base64.StdEncoding.DecodeString(sum); err == nil && len(raw) == sha1.Size {
			return ""
		}
		return "malformed {SHA} hashes"
	}
	for _, p := range []struct{ prefix, name string }{{"$apr1$", "$apr1$ (MD5)"}, {"$2y$", "bcrypt"}, {"$2a$", "bcrypt"}, {"$2b$", "bcrypt"}, {"$5$", "SHA-256 crypt"}, {"$6$", "SHA-512 crypt"}, {"$1$", "MD5 crypt"}} {
		if strings.HasPrefix(hash, p.prefix) {
			return p.name
		}
	}
	return "crypt or plain-text passwords"
}

func decode(b64 string) (string, error) {
	if len(b64) > maxFile*4/3+4 {
		return "", errors.New("larger than 1 MiB")
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return "", errors.New("not base64")
	}
	if strings.ContainsRune(string(raw), 0) {
		return "", errors.New("holds a NUL byte")
	}
	return string(raw), nil
}
