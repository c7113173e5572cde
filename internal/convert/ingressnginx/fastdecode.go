package ingressnginx

import (
	"encoding/json"

	netv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/internal/load"
)

// decodeCommon decodes a v1 Ingress of the common shape straight from its
// tree, and reports whether it could. decodeStrict (the tree as JSON, then
// the API server's strict reader) was a sixth of a large run's CPU; most
// Ingresses use a handful of fields, every one a plain string, integer,
// map or list. This reader takes exactly those: a key it does not know
// (unknown, misspelt, of another case, or simply rarer, such as status or
// managedFields), a key twice, a null, a value of another type, or a
// scalar the API server would not read as written (YAML 1.1 booleans and
// numbers, timestamps, explicit tags) makes it give up, and the Ingress
// goes the strict way, which names the problem. What it accepts, the
// strict reader accepts with the same result: TestDecodeCommonAgrees and
// FuzzDecodeCommon hold the two equal.
func decodeCommon(root *yaml.Node) (*netv1.Ingress, bool) {
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	ing := &netv1.Ingress{}
	ok := fields(root, func(key string, v *yaml.Node) bool {
		switch key {
		case "apiVersion":
			return str(v, &ing.APIVersion)
		case "kind":
			return str(v, &ing.Kind)
		case "metadata":
			return decodeMeta(v, &ing.ObjectMeta)
		case "spec":
			return decodeSpec(v, &ing.Spec)
		}
		return false
	})
	return ing, ok
}

func decodeMeta(n *yaml.Node, m *metav1.ObjectMeta) bool {
	return fields(n, func(key string, v *yaml.Node) bool {
		switch key {
		case "name":
			return str(v, &m.Name)
		case "namespace":
			return str(v, &m.Namespace)
		case "uid":
			var s string
			ok := str(v, &s)
			m.UID = types.UID(s)
			return ok
		case "resourceVersion":
			return str(v, &m.ResourceVersion)
		case "generation":
			g, ok := load.DecimalScalar(v)
			m.Generation = g
			return ok
		case "labels":
			return stringMap(v, &m.Labels)
		case "annotations":
			return stringMap(v, &m.Annotations)
		case "creationTimestamp":
			s, ok := load.StringScalar(v)
			if !ok {
				return false
			}
			// metav1.Time's own reading (RFC 3339, to local time), as the
			// strict reader calls it.
			quoted, err := json.Marshal(s)
			return err == nil && m.CreationTimestamp.UnmarshalJSON(quoted) == nil
		}
		return false
	})
}

func decodeSpec(n *yaml.Node, s *netv1.IngressSpec) bool {
	return fields(n, func(key string, v *yaml.Node) bool {
		switch key {
		case "ingressClassName":
			s.IngressClassName = new(string)
			return str(v, s.IngressClassName)
		case "defaultBackend":
			s.DefaultBackend = &netv1.IngressBackend{}
			return decodeBackend(v, s.DefaultBackend)
		case "tls":
			return list(v, &s.TLS, func(item *yaml.Node, t *netv1.IngressTLS) bool {
				return fields(item, func(key string, v *yaml.Node) bool {
					switch key {
					case "hosts":
						return list(v, &t.Hosts, str)
					case "secretName":
						return str(v, &t.SecretName)
					}
					return false
				})
			})
		case "rules":
			return list(v, &s.Rules, decodeRule)
		}
		return false
	})
}

func decodeRule(n *yaml.Node, r *netv1.IngressRule) bool {
	return fields(n, func(key string, v *yaml.Node) bool {
		switch key {
		case "host":
			return str(v, &r.Host)
		case "http":
			r.HTTP = &netv1.HTTPIngressRuleValue{}
			return fields(v, func(key string, v *yaml.Node) bool {
				return key == "paths" && list(v, &r.HTTP.Paths, decodePath)
			})
		}
		return false
	})
}

func decodePath(n *yaml.Node, p *netv1.HTTPIngressPath) bool {
	return fields(n, func(key string, v *yaml.Node) bool {
		switch key {
		case "path":
			return str(v, &p.Path)
		case "pathType":
			var t string
			ok := str(v, &t)
			p.PathType = (*netv1.PathType)(&t)
			return ok
		case "backend":
			return decodeBackend(v, &p.Backend)
		}
		return false
	})
}

func decodeBackend(n *yaml.Node, b *netv1.IngressBackend) bool {
	return fields(n, func(key string, v *yaml.Node) bool {
		switch key {
		case "service":
			b.Service = &netv1.IngressServiceBackend{}
			return fields(v, func(key string, v *yaml.Node) bool {
				switch key {
				case "name":
					return str(v, &b.Service.Name)
				case "port":
					return fields(v, func(key string, v *yaml.Node) bool {
						switch key {
						case "name":
							return str(v, &b.Service.Port.Name)
						case "number":
							n, ok := load.DecimalScalar(v)
							b.Service.Port.Number = int32(n)
							return ok && n <= 1<<31-1
						}
						return false
					})
				}
				return false
			})
		}
		return false // resource backends go the strict way
	})
}

// maxCommonKeys bounds the keys of a mapping decodeCommon reads: it looks
// for duplicates pair by pair, and a mapping with more keys (a long list
// of annotations) is rare enough to go the strict way.
const maxCommonKeys = 48

// fields calls f for every key of mapping n, in order, and reports whether
// n is a mapping of plain string keys, each once, and f took every one.
func fields(n *yaml.Node, f func(key string, v *yaml.Node) bool) bool {
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content)%2 != 0 || len(n.Content) > 2*maxCommonKeys {
		return false
	}
	for i := 0; i < len(n.Content); i += 2 {
		k := n.Content[i]
		if !plainKey(k) {
			return false
		}
		for j := 0; j < i; j += 2 {
			if n.Content[j].Value == k.Value {
				return false // the strict reader names duplicates
			}
		}
		if !f(k.Value, n.Content[i+1]) {
			return false
		}
	}
	return true
}

// plainKey is a key the API server reads as its text (a plain word, or
// quoted): the JSON key the strict reader matches fields by.
func plainKey(k *yaml.Node) bool {
	_, ok := load.StringScalar(k)
	return ok
}

func str(n *yaml.Node, into *string) bool {
	s, ok := load.StringScalar(n)
	*into = s
	return ok
}

// list decodes sequence n into a new slice (empty, not nil, for [], as
// the JSON reader makes it).
func list[T any](n *yaml.Node, into *[]T, item func(*yaml.Node, *T) bool) bool {
	if n == nil || n.Kind != yaml.SequenceNode {
		return false
	}
	out := make([]T, len(n.Content))
	for i, c := range n.Content {
		if !item(c, &out[i]) {
			return false
		}
	}
	*into = out
	return true
}

// stringMap decodes a mapping of string values (labels, annotations) into
// a new map.
func stringMap(n *yaml.Node, into *map[string]string) bool {
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	m := make(map[string]string, len(n.Content)/2)
	ok := fields(n, func(key string, v *yaml.Node) bool {
		s, ok := load.StringScalar(v)
		m[key] = s
		return ok
	})
	*into = m
	return ok
}
