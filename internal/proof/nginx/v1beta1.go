package nginx

import (
	networkingv1 "k8s.io/api/networking/v1"
	networkingv1beta1 "k8s.io/api/networking/v1beta1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/routeshift/routeshift/internal/proof/internal/kube"
)

// ingressVersions are the Ingress apiVersions the model reads. The two
// v1beta1 versions (removed in Kubernetes 1.22, still in many manifests)
// have the same fields; the API server stored them as networking.k8s.io/v1
// and ingress-nginx (v1.0 and later) only ever saw that form.
var ingressVersions = map[string]bool{
	"networking.k8s.io/v1":      true,
	"networking.k8s.io/v1beta1": true,
	"extensions/v1beta1":        true,
}

// decodeIngress reads an Ingress of any version in ingressVersions as the
// v1 object the API server would have stored: for v1beta1, the defaulting
// and conversion of kubernetes/kubernetes pkg/apis/networking/v1beta1
// (defaults.go: a missing pathType is ImplementationSpecific;
// conversion.go: spec.backend is spec.defaultBackend, serviceName and an
// integer servicePort are service.name and port.number, a string
// servicePort is port.name).
func decodeIngress(o *kube.Object) (out networkingv1.Ingress, strict, err error) {
	if o.APIVersion() == "networking.k8s.io/v1" {
		// Strictly, as the API server reads an applied manifest: a field it
		// does not know refuses the Ingress.
		strict, err = kube.DecodeStrict(o, &out)
		return out, strict, err
	}
	var in networkingv1beta1.Ingress
	if err := kube.Decode(o, &in); err != nil {
		return out, nil, err
	}
	out.ObjectMeta = in.ObjectMeta
	out.Spec.IngressClassName = in.Spec.IngressClassName
	if b := in.Spec.Backend; b != nil {
		v1 := backendOfV1beta1(*b)
		out.Spec.DefaultBackend = &v1
	}
	for _, t := range in.Spec.TLS {
		out.Spec.TLS = append(out.Spec.TLS, networkingv1.IngressTLS{Hosts: t.Hosts, SecretName: t.SecretName})
	}
	for _, r := range in.Spec.Rules {
		rule := networkingv1.IngressRule{Host: r.Host}
		if r.HTTP != nil {
			rule.HTTP = &networkingv1.HTTPIngressRuleValue{}
			for _, p := range r.HTTP.Paths {
				pt := networkingv1.PathTypeImplementationSpecific
				if p.PathType != nil {
					pt = networkingv1.PathType(*p.PathType)
				}
				rule.HTTP.Paths = append(rule.HTTP.Paths, networkingv1.HTTPIngressPath{
					Path: p.Path, PathType: &pt, Backend: backendOfV1beta1(p.Backend)})
			}
		}
		out.Spec.Rules = append(out.Spec.Rules, rule)
	}
	return out, nil, nil
}

func backendOfV1beta1(b networkingv1beta1.IngressBackend) networkingv1.IngressBackend {
	out := networkingv1.IngressBackend{Resource: b.Resource}
	if b.ServiceName == "" {
		return out
	}
	out.Service = &networkingv1.IngressServiceBackend{Name: b.ServiceName}
	switch b.ServicePort.Type {
	case intstr.String:
		out.Service.Port.Name = b.ServicePort.StrVal
	default:
		out.Service.Port.Number = b.ServicePort.IntVal
	}
	return out
}
