package kube

import (
	"strings"
	"testing"
)

// TestReadResourceList: a KRM function's output gives its items, read as
// objects, and its results as JSON; anything else is left to ReadStream;
// a malformed ResourceList is an error naming the file and the line.
func TestReadResourceList(t *testing.T) {
	rl := "# the function's output\napiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" +
		"- apiVersion: v1\n  kind: Service\n  metadata: {name: a, namespace: n}\n  spec: {ports: [{port: 017}]}\n" +
		"results:\n- message: approximated\n  severity: warning\n"
	objs, results, ok, err := ReadResourceList([]byte(rl), "out.yaml")
	if err != nil || !ok || len(objs) != 1 || objs[0].Name() != "a" || objs[0].Source().Path != "out.yaml" {
		t.Fatalf("ok %v err %v objs %v", ok, err, objs)
	}
	if got := string(results); got != `[{"message":"approximated","severity":"warning"}]` {
		t.Errorf("results %s", got)
	}
	// The API server's reading of the items: 017 is 15.
	if data, _ := objs[0].JSON(); !strings.Contains(string(data), `"port":15`) {
		t.Errorf("item %s", data)
	}
	for _, other := range []string{
		"apiVersion: v1\nkind: Service\nmetadata: {name: ResourceList}\n",
		rl + "---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n",
		"apiVersion: v1\nkind: ResourceList\nitems: []\n",
		"",
	} {
		if _, _, ok, err := ReadResourceList([]byte(other), "x.yaml"); ok || err != nil {
			t.Errorf("%q: ok %v err %v, want it left to ReadStream", other, ok, err)
		}
	}
	for _, bad := range []string{
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: {a: b}\n",
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- just a string\n",
	} {
		if _, _, ok, err := ReadResourceList([]byte(bad), "bad.yaml"); !ok || err == nil || !strings.Contains(err.Error(), "bad.yaml") || !strings.Contains(err.Error(), "line") {
			t.Errorf("%q: ok %v err %v, want an error naming the file and line", bad, ok, err)
		}
	}
}
