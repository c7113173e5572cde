package load

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// fastInputs are documents parseFast must handle, each exactly as
// parseYAML does.
var fastInputs = []string{
	`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/version: "1.2.3"
  annotations:
    deployment.kubernetes.io/revision: "3"
spec:
  replicas: 3
  revisionHistoryLimit: 10
  progressDeadlineSeconds: 600
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
    type: RollingUpdate
  template:
    metadata:
      creationTimestamp: null
      labels:
        app.kubernetes.io/name: web
    spec:
      containers:
      - name: web
        image: registry.example.com/web@sha256:0123456789abcdef
        imagePullPolicy: IfNotPresent
        args:
        - --port=8080
        - -v
        - "--log-format=json"
        command:
        - /web
        env:
        - name: GOMAXPROCS
          value: "2"
        - name: EMPTY
          value: ""
        - name: POD_NAME
          valueFrom:
            fieldRef:
              apiVersion: v1
              fieldPath: metadata.name
        ports:
        - containerPort: 8080
          name: http
          protocol: TCP
        resources:
          limits:
            cpu: 500m
            memory: 512Mi
          requests:
            cpu: 0.25
            memory: 1e3
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
          initialDelaySeconds: 5
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop:
            - ALL
        volumeMounts:
        - mountPath: /etc/web
          name: config
          readOnly: true
      dnsPolicy: ClusterFirst
      restartPolicy: Always
      securityContext: {}
      terminationGracePeriodSeconds: 30
      tolerations: []
      volumes:
      - configMap:
          defaultMode: 0755
          name: web-config
        name: config
status: {}
`,
	`apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ClusterIP
  clusterIP: 10.0.0.12
  ports:
  - name: http
    port: 80
    targetPort: 8080
    protocol: TCP
  - name: https
    port: 443
    targetPort: https
  selector:
    app: web
`,
	`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X-Frame-Options: DENY";
      more_set_headers "X-Content-Type-Options: nosniff";
    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8,192.168.0.0/16
    nginx.ingress.kubernetes.io/server-alias: 'www.example.com, example.com'
    config.kubernetes.io/index: '0'
    internal.config.kubernetes.io/path: 'apps/web.yaml'
    kubernetes.io/ingress.class: nginx
spec:
  ingressClassName: nginx
  tls:
  - hosts:
    - web.example.com
    secretName: web-tls
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /api(/|$)(.*)
        pathType: ImplementationSpecific
        backend:
          service:
            name: web
            port:
              number: 80
`,
	`apiVersion: v1
kind: ConfigMap
metadata:
  name: conf
data:
  nginx.conf: |
    server {
      listen 80;

      location / {
        proxy_pass http://backend;
      }
    }
  strip: |-
    one
    two


  keep: |+
    kept


  indented: |2
      two more
    base
  folded: >
    a folded
    paragraph

    second
      more indented
    back
  folded-strip: >-
    x
    y
  tabs: |
    a	tab	inside
  empty-literal: |
  after: value
  json: '{"a": 1, "b": [1, 2]}'
  quote: 'it''s'
  escapes: "a\tb\n\"c\" \\ \u00e9 \x41 \U0001F600 \0 \e \N \_ \L \P \ "
  unicode: "héllo wörld"
  héllo: wörld
  ünïcödé: "no"
`,
	`apiVersion: v1
kind: Secret
metadata:
  name: creds
type: Opaque
data:
  password: cGFzc3dvcmQ=
  token: ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklpSjkuZXlKcGMzTWlPaUpyZFdKbGNtNWxkR1Z6TDNObGNuWnBZMlZoWTJOdmRXNTBJaXdp
stringData:
  user: admin
`,
	`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    listKind: WidgetList
    plural: widgets
    singular: widget
    shortNames:
    - wd
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - jsonPath: .spec.size
      name: Size
      type: integer
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required:
            - size
            properties:
              size:
                type: integer
                minimum: 1
                maximum: 0x1F
                default: +1
              ratio:
                type: number
                default: .5
              mode:
                type: string
                enum:
                - "yes"
                - yes
                - no
                - on
                - off
                - y
                - n
                - ~
                - null
                - Null
                - NULL
                - true
                - True
                - FALSE
                - 2001-12-14
                - 2001-12-14t21:59:43.10-05:00
                - 2001-12-14 21:59:43.10
                - 2002-12-14T21:59:43Z
                - 1_000
                - 0o17
                - 0b101
                - -0b101
                - 0755
                - 08
                - 0.
                - -1.5e-3
                - .inf
                - -.Inf
                - .NaN
                - .5.
                - 12:30
                - 1e3
                - 1e
                - 9223372036854775807
                - 9223372036854775808
                - 18446744073709551616
                - -9223372036854775809
                - +.5
                - .5_0
                - ._5
                - .5e1_0
                - 1_0.5
                - .e5
                - .5.5
                - .x
                - 0x
                - 1.2.3
                - a#b
                - a:b
                - a: b
                - -a
                - ?a
                - :a
                - ::1
                - <<
                - x<<
                - '~'
                - ""
                - "null"
`,
	`apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- deployment.yaml
- service.yaml
patches:
- path: patch.yaml
  target:
    kind: Deployment
    name: web
images:
- name: web
  newTag: v1.2.3
configMapGenerator:
-
- name: conf
  files:
  - nginx.conf
  options:
    disableNameSuffixHash: true
generatorOptions: {}
`,
	"- a\n- b\n-\n- c\n",
	"a:\n- b\n-\n- c: 1\n  d:\n  - 2\n  e:\nf:\n",
	"  indented: root\n  other:\n      deep: 1\n      list:\n        - x\n        -   y: 1\n            z: 2\n",
	"a: 1",
	"a:",
	"a: |",
	"a: |\n  x",
	"a: >\n  x\n   y\n  z\n\n  w\n",
	"a: |\n\n  \n  x\n   \n\n",
	"a: |-\n  x\n\n",
	"a: |+\n  x\n  \n",
	"a:   \"spaced\"   \nb:    plain   \nc:\n",
	"\"quoted key\": 1\n'single': 2\n\"\": empty\n",
	"a:\n\n\n  b: 1\n\n\n",
	"- |\n x\n- >-\n  y\n",
	"list:\n- a: |\n    x\n  b: y\n",
	strings.Repeat("k", fastMaxKey) + ": v\n",
	"a:\n- " + strings.Repeat("é", fastMaxKey/2) + ": " + strings.Repeat("ü", 3000) + "\n  b: 1\n",
	nested(fastMaxDepth),
	"---\napiVersion: v1\nkind: A\n",
	"\n--- \n- a\n...\n\n",
	"a:\n  b:\n...",
}

// fastRefused are documents parseFast must leave to parseYAML.
var fastRefused = []string{
	"",
	"\n\n",
	"scalar\n",
	"a: 1 # comment\n",
	"# head\na: 1\n",
	"a:\n  # inside\n  b: 1\n",
	"a: &x 1\n",
	"a: *x\n",
	"a: !!str 1\n",
	"? a\n: 1\n",
	"a: b\n  c\n",
	"a: \"b\n  c\"\n",
	"a:\n\tb: 1\n",
	"--- a: 1\n",
	"--- |\n  a\n",
	"---\t\na: 1\n",
	"# c\n---\na: 1\n",
	"---\n---\na: 1\n",
	"a: 1\n---\nb: 2\n",
	"...\na: 1\n",
	"a: 1\n...\nb: 2\n",
	"a: 1\n...\n# c\n",
	"a: 1\n... x\n",
	"%YAML 1.2\n---\na: 1\n",
	"a: 1\r\n",
	"\ufeffa: 1\n",
	"a: \xff\n",
	"<<: {}\n",
	"a: 1\na: 2\n",
	"a: [1]\n",
	"a: {b: 1}\n",
	"a: b: c\n",
	"a: - b\n",
	"a:\n  b: 1\n c: 2\n",
	"a:\n  - x\n  b: 1\n",
	"- - x\n",
	"-\n  a: 1\n",
	"a: \"\\/\"\n",
	"a: \"\\ud800\"\n",
	"a: |0\n  x\n",
	"a: | # c\n  x\n",
	"a: @b\n",
	"a: `b`\n",
	"a: \"x\" y\n",
	"- x\n   y\n",
	nested(fastMaxDepth + 1),
	strings.Repeat("k", fastMaxKey+1) + ": v\n",
	strings.Repeat("k", 1030) + ": v\n",
	"a:b\n",
	"a: |\n  x\n # c\n",
}

// nested returns a mapping nested depth levels deep.
func nested(depth int) string {
	var b strings.Builder
	for i := range depth {
		fmt.Fprintf(&b, "%sk:\n", strings.Repeat(" ", i))
	}
	return b.String()
}

// diffNode returns the path and description of the first difference
// between two node trees, or "" if they are equal in every field.
func diffNode(path string, a, b *yaml.Node) string {
	if a == nil || b == nil {
		if a != b {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		return ""
	}
	type field struct {
		name string
		a, b any
	}
	for _, f := range []field{
		{"Kind", a.Kind, b.Kind}, {"Style", a.Style, b.Style}, {"Tag", a.Tag, b.Tag},
		{"Value", a.Value, b.Value}, {"Anchor", a.Anchor, b.Anchor}, {"Alias", a.Alias != nil, b.Alias != nil},
		{"HeadComment", a.HeadComment, b.HeadComment}, {"LineComment", a.LineComment, b.LineComment},
		{"FootComment", a.FootComment, b.FootComment}, {"Line", a.Line, b.Line},
		{"Column", a.Column, b.Column}, {"len(Content)", len(a.Content), len(b.Content)},
		{"Content == nil", a.Content == nil, b.Content == nil},
	} {
		if f.a != f.b {
			return fmt.Sprintf("%s: %s %#v vs %#v", path, f.name, f.a, f.b)
		}
	}
	for i := range a.Content {
		if d := diffNode(fmt.Sprintf("%s/%d", path, i), a.Content[i], b.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// checkFast fails t if parseFast handles text but not as parseYAML
// does. It reports whether parseFast handled it.
func checkFast(t *testing.T, text []byte, line int) bool {
	t.Helper()
	got, ok := parseFast(text, line)
	if !ok {
		if got != nil {
			t.Fatalf("parseFast(%q) refused but returned a tree", text)
		}
		return false
	}
	want, err := parseYAML(text, line)
	if err != nil || want == nil {
		t.Fatalf("parseFast(%q) handled what parseYAML rejects: %v", text, err)
	}
	if d := diffNode("", got, want); d != "" {
		t.Fatalf("parseFast(%q) differs from parseYAML (fast vs v3) at %s", text, d)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parseFast(%q) is not deep-equal to parseYAML", text)
	}
	return true
}

func TestParseFast(t *testing.T) {
	for i, in := range fastInputs {
		for _, line := range []int{1, 7} {
			if !checkFast(t, []byte(in), line) {
				t.Errorf("input %d (line %d) refused:\n%s", i, line, in)
			}
		}
	}
}

func TestParseFastRefuses(t *testing.T) {
	for _, in := range fastRefused {
		if checkFast(t, []byte(in), 1) {
			t.Errorf("parseFast(%q) handled it", in)
		}
	}
}

// TestParseFastResourceList parses a whole ResourceList as one document.
func TestParseFastResourceList(t *testing.T) {
	if !checkFast(t, benchResourceList(200), 3) {
		t.Fatal("refused")
	}
}

// TestParseFastNoAlias checks that the trees of two calls share no nodes or
// Content arrays, and that appending to a Content slice does not write
// into a neighbour's.
func TestParseFastNoAlias(t *testing.T) {
	root, ok := parseFast([]byte("a:\n- x\nb:\n- y\n"), 1)
	if !ok {
		t.Fatal("refused")
	}
	a, b := root.Content[1], root.Content[3]
	a.Content = append(a.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "z"})
	if b.Content[0].Value != "y" {
		t.Fatalf("appending to one sequence changed another: %q", b.Content[0].Value)
	}
}

func FuzzParseFast(f *testing.F) {
	for _, s := range fastInputs {
		f.Add([]byte(s))
	}
	for _, s := range fastRefused {
		f.Add([]byte(s))
	}
	f.Add(benchResourceList(4))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFast(t, data, 1)
	})
}

// benchDocument is the big ResourceList as one document, as the reader of
// function mode gets it.
func benchDocument(b *testing.B) []byte {
	data := benchResourceList(benchObjects)
	if _, ok := parseFast(data, 1); !ok {
		b.Fatal("parseFast refused the benchmark document")
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	return data
}

func BenchmarkParseFast(b *testing.B) {
	data := benchDocument(b)
	for b.Loop() {
		if _, ok := parseFast(data, 1); !ok {
			b.Fatal("refused")
		}
	}
}

func BenchmarkParseYAML(b *testing.B) {
	data := benchDocument(b)
	for b.Loop() {
		if _, err := parseYAML(data, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// benchItems is the items of the big ResourceList, each as its own text
// (unindented), as a stream reader would parse them.
func benchItems(b *testing.B) [][]byte {
	data := benchResourceList(benchObjects)
	_, after, _ := bytes.Cut(data, []byte("items:\n"))
	body, _, _ := bytes.Cut(after, []byte("functionConfig:"))
	var items [][]byte
	for _, it := range strings.Split(string(body), "\n- ")[0:] {
		it = strings.TrimPrefix(it, "- ")
		it = strings.ReplaceAll("  "+it, "\n  ", "\n")[2:]
		items = append(items, []byte(it))
	}
	if len(items) != benchObjects {
		b.Fatalf("%d items", len(items))
	}
	n := 0
	for _, it := range items {
		if _, ok := parseFast(it, 1); !ok {
			b.Fatalf("parseFast refused item:\n%s", it)
		}
		n += len(it)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	return items
}

func BenchmarkParseFastItems(b *testing.B) {
	items := benchItems(b)
	for b.Loop() {
		for _, it := range items {
			if _, ok := parseFast(it, 1); !ok {
				b.Fatal("refused")
			}
		}
	}
}

func BenchmarkParseYAMLItems(b *testing.B) {
	items := benchItems(b)
	for b.Loop() {
		for _, it := range items {
			if _, err := parseYAML(it, 1); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestParseFastGenerated compares parseFast with parseYAML on random
// documents built from the pieces the subset has, with the odd corner: the
// fuzzer rarely finds its way to well-formed YAML by mutating bytes.
func TestParseFastGenerated(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	r := rand.New(rand.NewPCG(1, 2))
	handled := 0
	for range n {
		var g fastGen
		g.r = r
		if r.IntN(5) == 0 {
			g.b.WriteString([]string{"---\n", "--- \n", "\n---\n", "--- x\n"}[r.IntN(4)])
		}
		if r.IntN(3) == 0 {
			g.seq(r.IntN(2), "", 0)
		} else {
			g.mapping(r.IntN(2), "", 0)
		}
		if r.IntN(5) == 0 {
			g.b.WriteString([]string{"...\n", "...", "... \n\n", "...\nx\n"}[r.IntN(4)])
		}
		if checkFast(t, []byte(g.b.String()), 1+r.IntN(3)) {
			handled++
		}
	}
	t.Logf("%d of %d handled", handled, n)
	if handled < n/5 {
		t.Errorf("only %d of %d handled", handled, n)
	}
}

var (
	fastGenKeys = []string{"a", "b", "key", "a b", "1", "true", "null", "~", "é", "日本", "-x", "?x", ":x",
		"a:b", "a#b", `"q"`, `"a: b"`, `'s'`, `'it''s'`, `""`, `"\u00e9"`, "a\tb", "k ", "0x1F", "1e3",
		"a[0]", "a{b}", "a,b", "a]", "...", "---x", "a'b", `a"b`, "x?", "%x", "@x", "a %b", "<<", "a\u00a0b"}
	fastGenScalars = []string{"x", "hello world", "x  ", "1", "-1", "+1", "0755", "08", "0x1F", "1e3", ".5", "1.",
		"yes", "no", "on", "true", "False", "~", "null", "NULL", "2001-12-14", "2001-12-14 21:59:43.10",
		"2001-12-14T21:59:43Z", "1_000", ".5_0", "1_0.5", ".e1", ".5e+1_0", "0b11", "-0b11", "0o17", "-0o17", ".inf", "-.INF", ".nan", "<<",
		"a#b", "a #b", "a:b", "a: b", "a:", "-", "-x", "--x", "?", "?x", ":x", "::1", "@x", "`x`", "%x",
		"[]", "{}", "[ ]", "[a]", "{a: 1}", "[]x", "*x", "&x y", "!x y", "x\ty", "é", "x é  ",
		`""`, `"x"`, `"a\tb\n\"c\" \\"`, `"\u00e9\x41\U0001F600"`, `"\/"`, `"\ud800"`, `"\q"`, `"x" `,
		`"x"y`, `"x\"`, `''`, `'x'`, `'it''s'`, `'a\b'`, `'x' `, `'x`, "\"x", "a\u00e9", "9223372036854775808",
		"18446744073709551616", "0x", "+", "+.5", "-.5e-3", "1e", "12:30", "x\t", "\t",
		"a, b", "a[0]", "{a}x", "x]", "a ? b", "a - b", "- x", "a -", "x: y: z", "---", "--- x", "...", "\u00a0x"}
	fastGenHeaders = []string{"|", "|-", "|+", ">", ">-", ">+", "|1", "|2", "|2-", "|-2", "|+1", ">2", "|0", "| ",
		"|  ", "|x", "|\t", "| #c", "|--"}
	fastGenContent = []string{"x", "y z", " lead", "  more", "\tx", "x\t", "# not a comment", "- x", "a: b", "", " ", "   "}
)

type fastGen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *fastGen) pick(list []string) string {
	return strings.ReplaceAll(list[g.r.IntN(len(list))], "\\t", "\t")
}

// line starts a line at indentation ind, or with prefix (a "- ") if given.
func (g *fastGen) line(ind int, prefix string) {
	if g.r.IntN(20) == 0 { // a blank line, maybe with spaces
		g.b.WriteString(strings.Repeat(" ", g.r.IntN(6)) + "\n")
	}
	if prefix != "" {
		g.b.WriteString(prefix)
		return
	}
	if g.r.IntN(40) == 0 {
		ind += g.r.IntN(3) - 1
	}
	g.b.WriteString(strings.Repeat(" ", max(ind, 0)))
}

func (g *fastGen) mapping(ind int, prefix string, depth int) {
	for i := range 1 + g.r.IntN(4) {
		if i > 0 {
			prefix = ""
		}
		g.line(ind, prefix)
		g.b.WriteString(g.pick(fastGenKeys))
		g.b.WriteString([]string{":", ":", ":", " :", ":"}[g.r.IntN(5)])
		g.value(ind, depth)
	}
}

func (g *fastGen) seq(ind int, prefix string, depth int) {
	for i := range 1 + g.r.IntN(4) {
		if i > 0 {
			prefix = ""
		}
		g.line(ind, prefix)
		dash := "-" + strings.Repeat(" ", 1+g.r.IntN(3)*g.r.IntN(2))
		switch c := g.r.IntN(8); {
		case c == 0:
			g.b.WriteString("-" + strings.Repeat(" ", g.r.IntN(2)) + "\n")
		case c <= 2 && depth < 5:
			g.mapping(ind+len(dash), strings.Repeat(" ", ind)+dash, depth+1)
		default:
			g.b.WriteString("-")
			g.value(ind, depth)
		}
	}
}

// value writes what follows a key's ':' or a '-'.
func (g *fastGen) value(ind, depth int) {
	sp := strings.Repeat(" ", 1+g.r.IntN(2)*g.r.IntN(3))
	switch c := g.r.IntN(10); {
	case c < 4 || depth >= 5:
		g.b.WriteString(sp + g.pick(fastGenScalars) + strings.Repeat(" ", g.r.IntN(2)) + "\n")
	case c == 4:
		g.b.WriteString(strings.Repeat(" ", g.r.IntN(2)) + "\n")
	case c == 5:
		g.b.WriteString("\n")
		g.mapping(ind+1+g.r.IntN(3), "", depth+1)
	case c == 6:
		g.b.WriteString("\n")
		g.seq(ind+g.r.IntN(3), "", depth+1)
	default:
		g.b.WriteString(sp + g.pick(fastGenHeaders) + "\n")
		content := ind + 1 + g.r.IntN(3)
		for range g.r.IntN(5) {
			l := g.pick(fastGenContent)
			if l == "" || g.r.IntN(4) == 0 {
				g.b.WriteString(strings.Repeat(" ", g.r.IntN(content+3)) + "\n")
				continue
			}
			g.b.WriteString(strings.Repeat(" ", content) + l + "\n")
		}
	}
	if g.r.IntN(30) == 0 {
		// Cut the document short, maybe without its last line break.
		s := g.b.String()
		g.b.Reset()
		g.b.WriteString(s[:len(s)-g.r.IntN(min(len(s), 3))])
	}
}
