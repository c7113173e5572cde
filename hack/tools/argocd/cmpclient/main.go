// Command cmpclient asks a running argocd-cmp-server for an Application's
// manifests the way Argo CD's repo server does, with Argo CD's own code:
// the build environment of reposerver/repository (newEnv, getPluginEnvs and
// getPluginParamEnvs, copied below because they are unexported), plugin
// discovery through util/app/discovery over the sockets in
// ARGOCD_PLUGINSOCKFILEPATH, the repository sent as a tar stream by
// util/cmp.SendRepoStream, and the answer split into objects with
// gitops-engine's kube.SplitYAML, as the repo server splits it.
//
// It reads the Application manifest a user would apply, and stands a local
// directory in for the Git checkout of spec.source.repoURL:
//
//	cmpclient -app application.yaml -repo DIR            # manifests as YAML on stdout
//	cmpclient -app application.yaml -repo DIR -announce  # the parameter announcement as JSON
//
// Diagnostics (the discovered source type, the plugin) go to stderr; a
// failed generate prints Argo CD's error and exits 1.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"google.golang.org/protobuf/types/known/emptypb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	k8sversion "k8s.io/apimachinery/pkg/util/version"
	"sigs.k8s.io/yaml"

	pluginclient "github.com/argoproj/argo-cd/v3/cmpserver/apiclient"
	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/app/discovery"
	"github.com/argoproj/argo-cd/v3/util/cmp"
	utilio "github.com/argoproj/argo-cd/v3/util/io"
	"github.com/argoproj/gitops-engine/pkg/utils/kube"
)

func main() {
	appFile := flag.String("app", "", "the Application manifest (spec.source.path and spec.source.plugin are used)")
	repo := flag.String("repo", "", "a directory standing in for the checkout of spec.source.repoURL")
	revision := flag.String("revision", "0123456789abcdef0123456789abcdef01234567", "the commit ARGOCD_APP_REVISION names")
	kubeVersion := flag.String("kube-version", "v1.34.0", "the destination cluster's version (KUBE_VERSION)")
	announce := flag.Bool("announce", false, "print the plugin's parameter announcement instead of generating")
	timeout := flag.Duration("timeout", 2*time.Minute, "give up after this long")
	flag.Parse()
	if *appFile == "" || *repo == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: cmpclient -app APPLICATION.yaml -repo DIR [-announce]")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := run(ctx, *appFile, *repo, *revision, *kubeVersion, *announce); err != nil {
		fmt.Fprintln(os.Stderr, "cmpclient:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, appFile, repo, revision, kubeVersion string, announce bool) error {
	data, err := os.ReadFile(appFile)
	if err != nil {
		return err
	}
	var app v1alpha1.Application
	if err := yaml.UnmarshalStrict(data, &app); err != nil {
		return fmt.Errorf("%s: %w", appFile, err)
	}
	if app.Spec.Source == nil {
		return fmt.Errorf("%s: spec.source is required (multi-source Applications are not modelled)", appFile)
	}
	src := app.Spec.Source
	repoPath, err := filepath.Abs(repo)
	if err != nil {
		return err
	}
	appPath := filepath.Join(repoPath, filepath.FromSlash(src.Path))
	if st, err := os.Stat(appPath); err != nil || !st.IsDir() {
		return fmt.Errorf("spec.source.path %q: not a directory under %s", src.Path, repoPath)
	}

	// The repo server's environment for the plugin, as in
	// reposerver/repository: newEnv, then getPluginEnvs.
	short := func(n int) string { return revision[:min(n, len(revision))] }
	env := &v1alpha1.Env{
		{Name: "ARGOCD_APP_NAME", Value: app.Name},
		{Name: "ARGOCD_APP_NAMESPACE", Value: app.Spec.Destination.Namespace},
		{Name: "ARGOCD_APP_PROJECT_NAME", Value: app.Spec.Project},
		{Name: "ARGOCD_APP_REVISION", Value: revision},
		{Name: "ARGOCD_APP_REVISION_SHORT", Value: short(7)},
		{Name: "ARGOCD_APP_REVISION_SHORT_8", Value: short(8)},
		{Name: "ARGOCD_APP_SOURCE_REPO_URL", Value: src.RepoURL},
		{Name: "ARGOCD_APP_SOURCE_PATH", Value: src.Path},
		{Name: "ARGOCD_APP_SOURCE_TARGET_REVISION", Value: src.TargetRevision},
	}
	kv, err := k8sversion.ParseGeneric(kubeVersion)
	if err != nil {
		return fmt.Errorf("-kube-version: %w", err)
	}
	envVars := append(env.Environ(), "KUBE_VERSION="+kv.String(), "KUBE_API_VERSIONS=")
	pluginEnv, err := getPluginParamEnvs(envVars, src.Plugin)
	if err != nil {
		return err
	}

	var pluginName string
	if src.Plugin != nil {
		pluginName = src.Plugin.Name
	}
	if pluginName == "" {
		// With no plugin named, Argo CD decides the source type first:
		// a plugin whose discover rule matches wins over its built-in
		// Kustomize, Helm and Directory types.
		appType, err := discovery.AppType(ctx, appPath, repoPath, nil, nil, envVars)
		if err != nil {
			return fmt.Errorf("discovering the source type: %w", err)
		}
		fmt.Fprintln(os.Stderr, "source type:", appType)
		if appType != string(v1alpha1.ApplicationSourceTypePlugin) {
			return fmt.Errorf("no plugin discovered the application (Argo CD would render it as %s)", appType)
		}
	}
	conn, client, err := discovery.DetectConfigManagementPlugin(ctx, appPath, repoPath, pluginName, pluginEnv, nil)
	if err != nil {
		return err
	}
	defer utilio.Close(conn)

	if announce {
		stream, err := client.GetParametersAnnouncement(ctx)
		if err != nil {
			return err
		}
		if err := cmp.SendRepoStream(stream.Context(), appPath, repoPath, stream, pluginEnv, nil); err != nil {
			return fmt.Errorf("error sending file to cmp-server: %w", err)
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			return fmt.Errorf("failed to get parameter announcement: %w", err)
		}
		out, err := json.MarshalIndent(resp.ParameterAnnouncements, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Printf("%s\n", out)
		return err
	}

	cfg, err := client.CheckPluginConfiguration(ctx, &emptypb.Empty{})
	if err != nil {
		return fmt.Errorf("error calling cmp-server checkPluginConfiguration: %w", err)
	}
	fmt.Fprintf(os.Stderr, "plugin: discovery configured %v, provideGitCreds %v\n", cfg.IsDiscoveryConfigured, cfg.ProvideGitCreds)

	// generateManifestsCMP, then the split runConfigManagementPluginSidecars does.
	manifests, err := generate(ctx, appPath, repoPath, pluginEnv, client)
	if err != nil {
		return fmt.Errorf("error generating manifests in cmp: %w", err)
	}
	for i, m := range manifests {
		out, err := yaml.Marshal(m.Object)
		if err != nil {
			return err
		}
		if i > 0 {
			fmt.Println("---")
		}
		fmt.Print(string(out))
	}
	return nil
}

func generate(ctx context.Context, appPath, rootPath string, env []string, client pluginclient.ConfigManagementPluginServiceClient) ([]*unstructured.Unstructured, error) {
	stream, err := client.GenerateManifest(ctx)
	if err != nil {
		return nil, fmt.Errorf("error getting generateManifestStream: %w", err)
	}
	if err := cmp.SendRepoStream(stream.Context(), appPath, rootPath, stream, env, nil); err != nil {
		return nil, fmt.Errorf("error sending file to cmp-server: %w", err)
	}
	resp, err := stream.CloseAndRecv()
	if err != nil {
		return nil, err
	}
	var objs []*unstructured.Unstructured
	for _, s := range resp.Manifests {
		split, err := kube.SplitYAML([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("failed to convert CMP manifests to unstructured objects: %s", err.Error())
		}
		objs = append(objs, split...)
	}
	if len(objs) == 0 {
		return nil, errors.New("the plugin generated no manifests")
	}
	return objs, nil
}

// getPluginParamEnvs is reposerver/repository's: the Application's plugin
// env entries become ARGOCD_ENV_<NAME> (envsubst'ed against the build
// environment), its parameters ARGOCD_APP_PARAMETERS and PARAM_<NAME>.
func getPluginParamEnvs(envVars []string, plugin *v1alpha1.ApplicationSourcePlugin) ([]string, error) {
	env := envVars
	parsedEnv := make(v1alpha1.Env, len(env))
	for i, v := range env {
		parsedVar, err := v1alpha1.NewEnvEntry(v)
		if err != nil {
			return nil, errors.New("failed to parse env vars")
		}
		parsedEnv[i] = parsedVar
	}
	if plugin != nil {
		for _, entry := range plugin.Env {
			newValue := parsedEnv.Envsubst(entry.Value)
			env = append(env, fmt.Sprintf("ARGOCD_ENV_%s=%s", entry.Name, newValue))
		}
		paramEnv, err := plugin.Parameters.Environ()
		if err != nil {
			return nil, fmt.Errorf("failed to generate env vars from parameters: %w", err)
		}
		env = append(env, paramEnv...)
	}
	return env, nil
}
