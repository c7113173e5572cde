package examples_test

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"sigs.k8s.io/yaml"
)

// pipeline/argocd/helm-values.yaml is the kustomize component and the
// plugin configuration in the argo-cd chart's terms; it is written by hand,
// so this test keeps it equal to sidecar.yaml and plugin.yaml: the same
// container (but the image, and the mount of the chart's ConfigMap), the
// same volumes, and plugin.yaml's spec under the plugin's name.
func TestArgoCDHelmValues(t *testing.T) {
	dir := filepath.Join(root, "pipeline/argocd")
	var values struct {
		RepoServer struct {
			ExtraContainers []map[string]any `json:"extraContainers"`
			Volumes         []map[string]any `json:"volumes"`
		} `json:"repoServer"`
		Configs struct {
			CMP struct {
				Create  bool           `json:"create"`
				Plugins map[string]any `json:"plugins"`
			} `json:"cmp"`
		} `json:"configs"`
	}
	var patch struct {
		Spec struct {
			Template struct {
				Spec struct {
					Containers []map[string]any `json:"containers"`
					Volumes    []map[string]any `json:"volumes"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	var plugin struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Spec any `json:"spec"`
	}
	for file, v := range map[string]any{"helm-values.yaml": &values, "sidecar.yaml": &patch, "plugin.yaml": &plugin} {
		if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(dir, file))), v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}

	if len(values.RepoServer.ExtraContainers) != 1 || len(patch.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("want one container in each: %d in helm-values.yaml, %d in sidecar.yaml",
			len(values.RepoServer.ExtraContainers), len(patch.Spec.Template.Spec.Containers))
	}
	got, want := values.RepoServer.ExtraContainers[0], patch.Spec.Template.Spec.Containers[0]
	if got["image"] == want["image"] {
		t.Errorf("helm-values.yaml names the local image %v: a cluster cannot pull it", got["image"])
	}
	mounts, _ := got["volumeMounts"].([]any)
	if len(mounts) == 0 {
		t.Fatal("helm-values.yaml: the sidecar has no volumeMounts")
	}
	config, _ := mounts[len(mounts)-1].(map[string]any)
	if config["mountPath"] != "/home/argocd/cmp-server/config/plugin.yaml" || config["subPath"] != plugin.Metadata.Name+".yaml" {
		t.Errorf("the last mount %v is not the chart ConfigMap's %s.yaml at the plugin configuration's path", config, plugin.Metadata.Name)
	}
	trimmed := map[string]any{}
	for k, v := range got {
		trimmed[k] = v
	}
	trimmed["image"], trimmed["volumeMounts"] = want["image"], mounts[:len(mounts)-1]
	if !reflect.DeepEqual(jsonOf(t, trimmed), jsonOf(t, want)) {
		t.Errorf("the sidecar differs between helm-values.yaml and sidecar.yaml:\n%s\n%s", jsonOf(t, trimmed), jsonOf(t, want))
	}

	volumes := map[string]string{}
	for _, v := range values.RepoServer.Volumes {
		volumes[v["name"].(string)] = jsonOf(t, v)
	}
	for _, v := range patch.Spec.Template.Spec.Volumes {
		if volumes[v["name"].(string)] != jsonOf(t, v) {
			t.Errorf("volume %v of sidecar.yaml is not in helm-values.yaml as it is", v)
		}
	}
	if cm := volumes[config["name"].(string)]; cm != `{"configMap":{"name":"argocd-cmp-cm"},"name":"`+config["name"].(string)+`"}` {
		t.Errorf("the plugin configuration's volume is %s, want the chart's ConfigMap argocd-cmp-cm", cm)
	}

	if !values.Configs.CMP.Create || len(values.Configs.CMP.Plugins) != 1 {
		t.Fatalf("configs.cmp: create %v, %d plugins; want the chart to create argocd-cmp-cm with the one plugin", values.Configs.CMP.Create, len(values.Configs.CMP.Plugins))
	}
	if spec, ok := values.Configs.CMP.Plugins[plugin.Metadata.Name]; !ok || jsonOf(t, spec) != jsonOf(t, plugin.Spec) {
		t.Errorf("configs.cmp.plugins.%s differs from plugin.yaml's spec:\n%s\n%s", plugin.Metadata.Name, jsonOf(t, spec), jsonOf(t, plugin.Spec))
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
