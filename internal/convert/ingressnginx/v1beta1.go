package ingressnginx

import (
	extv1beta1 "k8s.io/api/extensions/v1beta1"
	netv1 "k8s.io/api/networking/v1"
	netv1beta1 "k8s.io/api/networking/v1beta1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/routeshift/routeshift/internal/load"
)

// oldAPIVersions are the Ingress versions Kubernetes 1.22 stopped serving.
// Manifests kept in git still hold them (29 of 250 real files tried); the
// API server used to store them as networking.k8s.io/v1 by a mechanical
// conversion, which decodeOld repeats so that the controller's view of
// them (always v1 since ingress-nginx v1.0) is what gets converted.
var oldAPIVersions = map[string]bool{"extensions/v1beta1": true, "networking.k8s.io/v1beta1": true}

// decodeOld reads an extensions/v1beta1 or networking.k8s.io/v1beta1
// Ingress strictly in its own schema (a v1 field such as backend.service is
// unknown there, as the API server said) and converts it to v1.
func decodeOld(obj *load.Object) (*netv1.Ingress, error) {
	if obj.APIVersion() == "extensions/v1beta1" {
		var in extv1beta1.Ingress
		if err := decodeStrict(obj, &in); err != nil {
			return nil, err
		}
		// The two v1beta1 schemas are the same fields; extensions' is
		// read strictly on its own and then converted once.
		return fromV1beta1(&netv1beta1.Ingress{ObjectMeta: in.ObjectMeta, Spec: extSpec(in.Spec)}), nil
	}
	var in netv1beta1.Ingress
	if err := decodeStrict(obj, &in); err != nil {
		return nil, err
	}
	return fromV1beta1(&in), nil
}

func extSpec(s extv1beta1.IngressSpec) netv1beta1.IngressSpec {
	out := netv1beta1.IngressSpec{IngressClassName: s.IngressClassName}
	if s.Backend != nil {
		out.Backend = &netv1beta1.IngressBackend{ServiceName: s.Backend.ServiceName, ServicePort: s.Backend.ServicePort, Resource: s.Backend.Resource}
	}
	for _, t := range s.TLS {
		out.TLS = append(out.TLS, netv1beta1.IngressTLS{Hosts: t.Hosts, SecretName: t.SecretName})
	}
	for _, r := range s.Rules {
		rule := netv1beta1.IngressRule{Host: r.Host}
		if r.HTTP != nil {
			rule.HTTP = &netv1beta1.HTTPIngressRuleValue{}
			for _, p := range r.HTTP.Paths {
				rule.HTTP.Paths = append(rule.HTTP.Paths, netv1beta1.HTTPIngressPath{
					Path: p.Path, PathType: (*netv1beta1.PathType)(p.PathType),
					Backend: netv1beta1.IngressBackend{ServiceName: p.Backend.ServiceName, ServicePort: p.Backend.ServicePort, Resource: p.Backend.Resource},
				})
			}
		}
		out.Rules = append(out.Rules, rule)
	}
	return out
}

// fromV1beta1 is the API server's conversion (pkg/apis/networking/v1beta1
// defaults.go and conversion.go in kubernetes/kubernetes, v1.19-v1.21): a
// missing pathType defaults to ImplementationSpecific; spec.backend becomes
// spec.defaultBackend; serviceName and servicePort become service.name and
// service.port.number (an integer port) or service.port.name (a string).
func fromV1beta1(in *netv1beta1.Ingress) *netv1.Ingress {
	out := &netv1.Ingress{ObjectMeta: in.ObjectMeta}
	out.APIVersion, out.Kind = apiV1, "Ingress"
	out.Spec.IngressClassName = in.Spec.IngressClassName
	if in.Spec.Backend != nil {
		be := backendV1(*in.Spec.Backend)
		out.Spec.DefaultBackend = &be
	}
	for _, t := range in.Spec.TLS {
		out.Spec.TLS = append(out.Spec.TLS, netv1.IngressTLS{Hosts: t.Hosts, SecretName: t.SecretName})
	}
	for _, r := range in.Spec.Rules {
		rule := netv1.IngressRule{Host: r.Host}
		if r.HTTP != nil {
			rule.HTTP = &netv1.HTTPIngressRuleValue{Paths: []netv1.HTTPIngressPath{}}
			for _, p := range r.HTTP.Paths {
				t := netv1.PathTypeImplementationSpecific
				if p.PathType != nil {
					t = netv1.PathType(*p.PathType)
				}
				rule.HTTP.Paths = append(rule.HTTP.Paths, netv1.HTTPIngressPath{Path: p.Path, PathType: &t, Backend: backendV1(p.Backend)})
			}
		}
		out.Spec.Rules = append(out.Spec.Rules, rule)
	}
	return out
}

func backendV1(in netv1beta1.IngressBackend) netv1.IngressBackend {
	out := netv1.IngressBackend{Resource: in.Resource}
	if in.ServiceName != "" {
		out.Service = &netv1.IngressServiceBackend{Name: in.ServiceName}
		if in.ServicePort.Type == intstr.String {
			out.Service.Port.Name = in.ServicePort.StrVal
		} else {
			out.Service.Port.Number = in.ServicePort.IntVal
		}
	}
	return out
}
