package fn

import (
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/routeshift/routeshift/pipeline/load"
)

func mapChild(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func label(o *load.Object, key string) string {
	n := mapChild(mapChild(mapChild(o.Node, "metadata"), "labels"), key)
	if n == nil {
		return ""
	}
	return n.Value
}
