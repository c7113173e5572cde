package fn

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	v1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"

	"github.com/routeshift/routeshift/internal/annotations"
	"github.com/routeshift/routeshift/internal/convert/gatewayapi"
	"github.com/routeshift/routeshift/internal/convert/implementations"
	"github.com/routeshift/routeshift/internal/convert/implementations/envoygateway"
	"github.com/routeshift/routeshift/internal/convert/implementations/registry"
	"github.com/routeshift/routeshift/internal/convert/ingressnginx"
	"github.com/routeshift/routeshift/internal/finding"
	"github.com/routeshift/routeshift/internal/load"
	"github.com/routeshift/routeshift/internal/parallel"
	"github.com/routeshift/routeshift/internal/phase"
)

// kyaml marks the legacy bookkeeping names deprecated, but kpt and older
// kustomize still write and read them beside the new ones, so an object's
// placement keeps both.
var (
	//lint:ignore SA1019 kpt still writes config.kubernetes.io/path (see above)
	legacyPathAnnotation = kioutil.LegacyPathAnnotation
	//lint:ignore SA1019 kpt still writes config.kubernetes.io/index (see above)
	legacyIndexAnnotation = kioutil.LegacyIndexAnnotation
)

// Summary counts what a run did, for the stderr summary.
type Summary struct {
	Converted, Skipped, Failed int
	Generated                  map[string]int
}

// Convert runs the whole conversion over objs and returns the output
// objects: every input object in its place (unchanged, byte for byte,
// except the Issuers, Rollouts and Canaries the carry-over rewrites to
// steer the generated objects), without converted Ingresses when
// spec.ingress is remove, and the generated objects right after their
// source Ingress. Objects that an
// earlier run generated are replaced in place, so the function applied to
// its own output changes nothing. With placement, generated objects get
// kpt's path and index annotations so they are written next to their
// source. Ingresses and Services read with their text keep only their
// metadata in Node afterwards (see load.Object.Thin); they are written from
// their text.
func Convert(objs []*load.Object, spec Spec, placement bool) ([]*load.Object, finding.List, Summary) {
	tuneGC(textSize(objs))
	opt, targets := spec.options()
	model, findings := ingressnginx.Build(objs, opt)
	thin(objs)
	phase.Mark("model")
	broken := findings.Failed()
	// The implementation is named in warnings that depend on how it
	// routes (which match types it tries first); Envoy Gateway's regex
	// rewrite makes capture-group rewrites exact.
	eopts := gatewayapi.Options{Implementation: spec.Implementation}
	if spec.Implementation == envoygateway.Implementation.Name() {
		eopts.RegexRewrite = envoygateway.RegexRewrite
	}
	res, emitted := gatewayapi.EmitWith(model, targets, objs, func(ing *ingressnginx.Ingress) bool {
		return broken[ing.Object]
	}, eopts)
	findings = append(findings, emitted...)
	impl, vendor := registry.Lookup(spec.Implementation)
	release := spec.release()
	if v, ok := impl.(implementations.Versioned); ok && release != nil {
		impl = v.ForRelease(release)
	}
	extra, more := policies(impl, model, res, objs, opt.AnnotationsPrefix)
	res.Objects = append(res.Objects, extra...)
	findings = append(findings, more...)
	adapted, otherVersion := releaseCheck(spec.Implementation, release, res.Objects)
	findings = append(findings, adapted...)
	carried, rewritten, moreCarried := carryOver(spec, model, res, objs, findings.Failed())
	res.Objects = append(res.Objects, carried...)
	findings = append(findings, moreCarried...)
	phase.Mark("emit")

	bySource := map[*load.Object][]*gatewayapi.Object{}
	for _, g := range res.Objects {
		bySource[g.Source.Object] = append(bySource[g.Source.Object], g)
	}
	sum := Summary{Generated: map[string]int{}}
	// Each Ingress is accounted for on its own (account reads the model
	// and the generated objects), so on every core; the findings are put
	// together in the Ingresses' order.
	accounted := make([]finding.List, len(model.Ingresses))
	parallel.For(len(model.Ingresses), func(i int) {
		ing := model.Ingresses[i]
		switch {
		case !ing.Served && broken[ing.Object] || res.Failed[ing]:
			if ing.InScope() {
				// A user fixing errors one by one sees every annotation's
				// fate and every error in the first run.
				planned := ing.Served && !broken[ing.Object]
				accounted[i] = accountFailed(model, ing, planned, spec.unsafeSeverity(), !vendor)
			}
		case ing.Served:
			accounted[i] = account(model, ing, bySource[ing.Object], spec.unsafeSeverity(), !vendor, false)
		}
	})
	for i, ing := range model.Ingresses {
		switch {
		case !ing.Served && broken[ing.Object] || res.Failed[ing]:
			sum.Failed++
		case !ing.Served:
			sum.Skipped++
		default:
			sum.Converted++
		}
		findings = append(findings, accounted[i]...)
	}
	if spec.Implementation != "standard" && !vendor {
		findings.Warnf(nil, "spec.implementation", "implementation %q: its policies are not generated yet; the output is standard Gateway API only", spec.Implementation)
	}

	gen := map[string]*gatewayapi.Object{}
	for _, g := range res.Objects {
		gen[identity(g.Kind, g.Namespace, g.Name)] = g
		sum.Generated[g.Kind]++
	}
	removed := map[*load.Object]bool{}
	if spec.Ingress == "remove" {
		// Only an Ingress converted with no error at all goes: an unsafe
		// annotation or a policy that could not be carried keeps it.
		withErrors := findings.Failed()
		for _, ing := range model.Ingresses {
			if ing.Served && !ing.Canary && !res.Failed[ing] && !withErrors[ing.Object] {
				removed[ing.Object] = true
			}
		}
	}
	sortFindings(findings, objs)
	objs = replaceInput(objs, rewritten)
	p := &placer{gen: gen, placed: map[*gatewayapi.Object]bool{}, findings: &findings, placement: placement, inInput: map[string]bool{}, generated: map[*load.Object]bool{}}
	p.next = nextIndexes(objs)
	for _, o := range objs {
		if id := identity(o.Kind(), o.Namespace(), o.Name()); isOurs(o) && gen[id] != nil {
			p.inInput[id] = true
		}
	}
	for _, o := range objs {
		p.add(o, removed[o], bySource[o])
	}
	p.encode()
	phase.Mark("encode")
	out := selfCheck(p.out, p.generated, otherVersion, spec.ValidateOutput, &findings)
	attachCheck(out, p.generated, &findings)
	phase.Mark("validate")
	return out, findings, sum
}

// thin drops the trees of Ingresses and Services (load.Object.Thin), on
// every core: the model has read what it needs of them, and nothing after
// it reads more than their metadata.
func thin(objs []*load.Object) {
	parallel.For(len(objs), func(i int) {
		if k := objs[i].Kind(); k == "Ingress" || k == "Service" {
			objs[i].Thin()
		}
	})
}

func identity(kind, ns, name string) string { return kind + "/" + ns + "/" + name }

// placer builds the output list.
type placer struct {
	out       []*load.Object
	gen       map[string]*gatewayapi.Object
	placed    map[*gatewayapi.Object]bool
	findings  *finding.List
	placement bool
	// next is the next free index per file, for objects kpt must append.
	next map[string]int
	// generated are the output objects this run made.
	generated map[*load.Object]bool
	// jobs are the generated objects to encode, each with the index of
	// its placeholder (nil) in out.
	jobs []encodeJob
	// inInput are identities of generated objects whose earlier version
	// is in the input: they are replaced where they are, not moved.
	inInput map[string]bool
}

func (p *placer) add(o *load.Object, remove bool, generated []*gatewayapi.Object) {
	if isOurs(o) {
		if g := p.gen[identity(o.Kind(), o.Namespace(), o.Name())]; g != nil {
			if !p.placed[g] {
				p.placed[g] = true
				p.emit(g, nil, o)
			}
			return // regenerated in place (or a duplicate of one that was)
		}
		p.findings.Infof(o, "", "generated by an earlier routeshift run and not produced by this one; left unchanged")
	}
	if !remove {
		p.out = append(p.out, o)
	}
	slices.SortStableFunc(generated, func(a, b *gatewayapi.Object) int {
		switch {
		case less(a, b):
			return -1
		case less(b, a):
			return 1
		}
		return 0
	})
	for _, g := range generated {
		if !p.placed[g] && !p.inInput[identity(g.Kind, g.Namespace, g.Name)] {
			p.placed[g] = true
			p.emit(g, o, nil)
		}
	}
}

var kindRank = map[string]int{"Gateway": 0, "ListenerSet": 1, "ReferenceGrant": 2, "HTTPRoute": 3, "GRPCRoute": 4, "TLSRoute": 5, "BackendTLSPolicy": 6, "Certificate": 7}

func less(a, b *gatewayapi.Object) bool {
	if kindRank[a.Kind] != kindRank[b.Kind] {
		return kindRank[a.Kind] < kindRank[b.Kind]
	}
	if a.Namespace != b.Namespace {
		return a.Namespace < b.Namespace
	}
	return a.Name < b.Name
}

// emit encodes g; source is the Ingress it is placed after, old the
// earlier version it replaces (whose placement it keeps).
func (p *placer) emit(g *gatewayapi.Object, source, old *load.Object) {
	if p.placement {
		from := source
		if old != nil {
			from = old
		}
		ann := annotationsOf(g.Value)
		for _, k := range []string{kioutil.PathAnnotation, legacyPathAnnotation} {
			if v := from.Annotation(k); v != "" {
				if ann == nil {
					ann = map[string]string{}
				}
				ann[k] = v
			}
		}
		for i, k := range []string{kioutil.PathAnnotation, legacyPathAnnotation} {
			path := from.Annotation(k)
			if path == "" {
				continue
			}
			idxKey := []string{kioutil.IndexAnnotation, legacyIndexAnnotation}[i]
			if old != nil {
				ann[idxKey] = old.Annotation(idxKey)
			} else {
				ann[idxKey] = strconv.Itoa(p.next[idxKey+"|"+path])
				p.next[idxKey+"|"+path]++
			}
		}
		setAnnotations(g.Value, ann)
	}
	// Findings about a generated object point at the file of what it
	// stands next to (or replaces).
	src := old
	if source != nil {
		src = source
	}
	// The node is built later, with every other generated object's, on
	// all cores (encode); its place in the output is kept now.
	p.jobs = append(p.jobs, encodeJob{g: g, src: src, at: len(p.out)})
	p.out = append(p.out, nil)
}

// encodeJob is a generated object waiting for its node and its place.
type encodeJob struct {
	g   *gatewayapi.Object
	src *load.Object
	at  int
}

// encode builds the nodes of the generated objects in parallel (most of
// the cost of a large conversion's output) and puts them in their places.
func (p *placer) encode() {
	objs := make([]*load.Object, len(p.jobs))
	errs := make([]error, len(p.jobs))
	parallel.For(len(p.jobs), func(i int) {
		// Kept as text from here on: node trees of every generated object
		// were a third of a large run's memory.
		objs[i], errs[i] = p.jobs[i].g.Encode(p.jobs[i].src.Source)
		// Nothing reads the typed value after this (its text is the
		// object now); dropping it lets the collector free the typed
		// objects while the rest are still being encoded, which is where
		// a large run peaked.
		p.jobs[i].g.Value = nil
	})
	jobAt := make(map[int]int, len(p.jobs))
	for j, job := range p.jobs {
		jobAt[job.at] = j
	}
	kept := p.out[:0]
	for i, o := range p.out {
		if o != nil {
			kept = append(kept, o)
			continue
		}
		j := jobAt[i]
		job := p.jobs[j]
		if errs[j] != nil {
			p.findings.Errorf(job.src, "", "cannot encode generated %s %s/%s: %v", job.g.Kind, job.g.Namespace, job.g.Name, errs[j])
			continue
		}
		p.generated[objs[j]] = true
		kept = append(kept, objs[j])
	}
	p.out = kept
}

// isOurs recognises objects a routeshift run generated.
func isOurs(o *load.Object) bool {
	switch o.Kind() {
	case "Ingress", "Service", "ConfigMap":
		return false // never generated; a label on one is the user's
	}
	return o.Label(gatewayapi.ManagedByLabel) == gatewayapi.ManagedByValue
}

// account turns an Ingress's annotation fates into findings: one info
// result naming what was generated and every converted or ignored key, and
// one warning per key whose meaning did not make it into the output.
func account(model *ingressnginx.Model, ing *ingressnginx.Ingress, generated []*gatewayapi.Object, unsafe finding.Severity, hint, failed bool) finding.List {
	var out finding.List
	var names, converted, ignored []string
	for _, g := range generated {
		names = append(names, fmt.Sprintf("%s %s", g.Kind, g.Name))
	}
	for _, a := range model.Annotations(ing) {
		field := "metadata.annotations." + a.Key
		switch a.Fate {
		case ingressnginx.Converted:
			converted = append(converted, a.Key)
		case ingressnginx.Ignored:
			ignored = append(ignored, a.Key)
		case ingressnginx.Unsafe:
			msg := fmt.Sprintf("annotation %s is unsafe and was not translated (%s)", a.Key, a.Reason)
			if strings.HasSuffix(a.Key, "-snippet") {
				msg += "; ingress-nginx pasted it verbatim into its configuration, which is how the CVE-2025-1974 family attacked it"
			}
			out.Add(unsafe, ing.Object, field, "%s. Reproduce what it did with your implementation's own features, or set spec.unsafeAnnotations: warning once reviewed", msg)
		case ingressnginx.Unsupported:
			if failed && slices.Contains(ing.Settings.Unconvertible, a.Reason) {
				continue // its error result says this already
			}
			extra := ""
			if name, ok := annotations.Split(a.Key, model.Prefix()); ok && hint {
				extra = carriers(name)
			}
			out.Warnf(ing.Object, field, "annotation %s is %s: %s%s", a.Key, a.Fate, a.Reason, extra)
		default:
			out.Warnf(ing.Object, field, "annotation %s is %s: %s", a.Key, a.Fate, a.Reason)
		}
	}
	msg := "converted"
	switch {
	case failed:
		msg = "not converted, so nothing was generated for it (its errors say why)"
	case ing.Canary:
		msg = "canary Ingress: its backend joins the rules of its primary's routes (ingress-nginx attaches canaries to the primary's Service)"
	case len(names) > 0:
		msg += " to " + strings.Join(names, ", ")
	default:
		msg += ": it adds no route (its paths are served by other Ingresses or by the default backend)"
	}
	lead := "; annotations"
	if failed {
		lead = "; once they are fixed, annotations"
	}
	if len(converted) > 0 {
		msg += lead + " converted: " + strings.Join(converted, ", ")
		lead = "; annotations"
	}
	if len(ignored) > 0 {
		msg += lead + " without effect on routing: " + strings.Join(ignored, ", ")
	}
	out = append(finding.List{{Severity: finding.Info, Message: msg, Object: ing.Object}}, out...)
	return out
}

// accountFailed is account for an Ingress that was not converted: the
// errors of its annotation values that only converting would have named,
// every annotation's fate (what it will be once the errors are fixed),
// and one info result saying so.
func accountFailed(model *ingressnginx.Model, ing *ingressnginx.Ingress, planned bool, unsafe finding.Severity, hint bool) finding.List {
	var out finding.List
	if !planned {
		// An Ingress whose routes were planned had these reported then;
		// one that failed before (not served, or an error in the model)
		// has not.
		for _, why := range ing.Settings.Unconvertible {
			out.Errorf(ing.Object, "metadata.annotations", "not converted: %s", why)
		}
	}
	if len(model.Annotations(ing)) == 0 {
		return out // nothing to account for; its errors say it all
	}
	return append(out, account(model, ing, nil, unsafe, hint, true)...)
}

// nextIndexes finds, per file and index annotation, the first index after
// every object of the input, so new objects are appended to the file.
func nextIndexes(objs []*load.Object) map[string]int {
	next := map[string]int{}
	for _, o := range objs {
		for i, k := range []string{kioutil.PathAnnotation, legacyPathAnnotation} {
			path := o.Annotation(k)
			if path == "" {
				continue
			}
			idxKey := []string{kioutil.IndexAnnotation, legacyIndexAnnotation}[i]
			if n, err := strconv.Atoi(o.Annotation(idxKey)); err == nil && n+1 > next[idxKey+"|"+path] {
				next[idxKey+"|"+path] = n + 1
			}
		}
	}
	return next
}

// sortFindings orders findings by the input position of their object, so
// that results read like the input; run-level findings come first.
func sortFindings(findings finding.List, objs []*load.Object) {
	pos := make(map[*load.Object]int, len(objs))
	for i, o := range objs {
		pos[o] = i + 1
	}
	// A stable counting sort on the position: a comparison sort looked the
	// map up twice per comparison, for tens of thousands of findings.
	keys := make([]int, len(findings))
	next := make([]int, len(objs)+2)
	for i, f := range findings {
		keys[i] = pos[f.Object]
		next[keys[i]+1]++
	}
	for k := 1; k < len(next); k++ {
		next[k] += next[k-1]
	}
	sorted := make(finding.List, len(findings))
	for i, f := range findings {
		sorted[next[keys[i]]] = f
		next[keys[i]]++
	}
	copy(findings, sorted)
}

func (s Spec) unsafeSeverity() finding.Severity {
	if s.UnsafeAnnotations == "warning" {
		return finding.Warning
	}
	return finding.Error
}

// annotationsOf and setAnnotations reach the metadata of a generated
// object, typed (Gateway API) or unstructured (vendor policies).
func annotationsOf(v any) map[string]string {
	if m, ok := v.(v1.Object); ok {
		return m.GetAnnotations()
	}
	out := map[string]string{}
	if md, ok := v.(map[string]any)["metadata"].(map[string]any); ok {
		if ann, ok := md["annotations"].(map[string]any); ok {
			for k, v := range ann {
				if s, ok := v.(string); ok {
					out[k] = s
				}
			}
		}
	}
	return out
}

func setAnnotations(v any, ann map[string]string) {
	if m, ok := v.(v1.Object); ok {
		m.SetAnnotations(ann)
		return
	}
	obj, _ := v.(map[string]any)
	md, _ := obj["metadata"].(map[string]any)
	if md == nil {
		return
	}
	out := map[string]any{}
	for k, s := range ann {
		out[k] = s
	}
	md["annotations"] = out
}
