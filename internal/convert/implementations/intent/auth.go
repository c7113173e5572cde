package intent

import (
	"errors"

	"github.com/routeshift/routeshift/internal/convert/implementations/internal/value"
)

// BasicAuth is auth-type, auth-secret, auth-secret-type and auth-realm.
type BasicAuth struct {
	// Type is "basic" or "digest"; anything else is an error.
	Type Value[string]
	// Secret is the htpasswd Secret, its namespace resolved.
	Secret Value[value.Ref]
	// SecretType is "auth-file" or "auth-map".
	SecretType Value[string]
	Realm      Value[string]
}

// Kind is the Secret's layout ingress-nginx reads: auth-secret-type when
// set (callers check it is valid), else auth-file.
func (b BasicAuth) Kind() string {
	if b.SecretType.OK() {
		return b.SecretType.V
	}
	return "auth-file"
}

// ExternalAuth is auth-url, when it names an in-cluster Service, and the
// headers of the auth answer copied to the backend request.
type ExternalAuth struct {
	URL             Value[value.Service]
	ResponseHeaders Value[[]string]
}

func readBasic(ann map[string]string, namespace string) BasicAuth {
	return BasicAuth{
		Type: read(ann, "auth-type", func(s string) (string, error) {
			c, err := value.Clean(s, 16)
			if err == nil && c != "basic" && c != "digest" {
				err = errors.New("not basic or digest")
			}
			return c, err
		}),
		Secret: read(ann, "auth-secret", func(s string) (value.Ref, error) { return value.ObjectRef(s, namespace) }),
		SecretType: read(ann, "auth-secret-type", func(s string) (string, error) {
			c, err := value.Clean(s, 16)
			if err == nil && c != "auth-file" && c != "auth-map" {
				err = errors.New("not auth-file or auth-map")
			}
			return c, err
		}),
		Realm: read(ann, "auth-realm", value.Realm),
	}
}
