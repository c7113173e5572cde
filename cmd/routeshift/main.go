package main

import (
	_ "github.com/kptdev/krm-functions-sdk/go/fn"
	_ "k8s.io/api/networking/v1"
	_ "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	_ "sigs.k8s.io/gateway-api/apis/v1"
	_ "sigs.k8s.io/kustomize/kyaml/yaml"
	_ "sigs.k8s.io/yaml"
)

func main() {}
