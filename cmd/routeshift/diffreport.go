package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/routeshift/routeshift/internal/proof/report"
)

// reportFlags are the diff flags about what the report holds beyond the
// comparison: acknowledged changes, the converter's results and a whole
// copy of the report for a build artifact.
type reportFlags struct {
	acceptFile, acceptBase, converterResults, reportFile *string
}

func addReportFlags(fs *flag.FlagSet) reportFlags {
	return reportFlags{
		acceptFile:       fs.String("accept-file", "", "file of reviewed, intended changes (docs/diff.md); default "+report.DefaultAcceptFile+" when it exists at the root of the Git repository holding AFTER (the nearest directory above it with .git; without one, AFTER itself when it is a directory, else the current directory), read without leaving that tree; \"none\" reads none"),
		acceptBase:       fs.String("accept-base", "", "the accept file of the base revision: the report lists the acknowledgements that are not in it as added by the change"),
		converterResults: fs.String("converter-results", "", "the converter's KRM results (a results list or the function's ResourceList): causes it reported as approximations are marked with its words (default: the results AFTER carries, when it is the function's output ResourceList or a kustomization whose routeshift exec function ran)"),
		reportFile:       fs.String("report-file", "", "also write the whole report, never cut, to this file: JSON for .json, Markdown for .md, text otherwise"),
	}
}

// apply reads the files the flags name into rep; after is the AFTER
// argument, whose repository holds the default accept file, and
// afterResults the results an AFTER ResourceList carried (the converter's,
// used unless --converter-results names a file).
func (f reportFlags) apply(rep *report.Report, after string, afterResults []byte) error {
	var acks *report.AcceptFile
	name := *f.acceptFile
	switch name {
	case "none":
	case "":
		root, err := acceptRoot(after)
		if err != nil {
			return fmt.Errorf("default accept file: %w", err)
		}
		acks, err = report.ReadAcceptFileIn(root, report.DefaultAcceptFile)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			acks = nil
		case err != nil:
			return fmt.Errorf("default accept file: %w", err)
		default:
			name = filepath.Join(root, filepath.FromSlash(report.DefaultAcceptFile))
		}
	default:
		var err error
		if acks, err = report.ReadAcceptFile(name); err != nil {
			return fmt.Errorf("--accept-file: %w", err)
		}
	}
	if acks != nil {
		var base *report.AcceptFile
		var err error
		if *f.acceptBase != "" {
			// A base without the file has no acknowledgements: all are added.
			base, err = report.ReadAcceptFile(*f.acceptBase)
			if errors.Is(err, fs.ErrNotExist) {
				base, err = &report.AcceptFile{}, nil
			}
			if err != nil {
				return fmt.Errorf("--accept-base: %w", err)
			}
		}
		rep.Acknowledge(acks, base, filepath.Base(filepath.Dir(name))+"/"+filepath.Base(name))
	}
	switch {
	case *f.converterResults != "":
		rs, err := report.ReadConverterResults(*f.converterResults)
		if err != nil {
			return fmt.Errorf("--converter-results: %w", err)
		}
		rep.MarkApproximations(rs)
	case afterResults != nil:
		rs, err := report.ParseConverterResults(afterResults, after+": results")
		if err != nil {
			return err
		}
		rep.MarkApproximations(rs)
	}
	return nil
}

// acceptRoot is the directory whose .routeshift/accept.yaml diff reads by
// default: the root of the Git repository holding after (the nearest
// directory at or above it with a .git entry, a directory or, in a
// worktree or submodule, a file), so that diff finds the file wherever it
// runs from; without a repository, after itself when it is a directory,
// else (a file, stdin) the current directory.
func acceptRoot(after string) (string, error) {
	start, err := os.Getwd()
	if err != nil {
		return "", err
	}
	isDir := false
	if after != "-" {
		abs, err := filepath.Abs(after)
		if err != nil {
			return "", err
		}
		start = filepath.Dir(abs)
		if st, err := os.Stat(abs); err == nil && st.IsDir() {
			start, isDir = abs, true
		}
	}
	for dir := start; ; {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if isDir || after == "-" {
		return start, nil
	}
	return os.Getwd()
}

// writeFile writes the whole report to --report-file.
func (f reportFlags) writeFile(rep *report.Report) error {
	if *f.reportFile == "" {
		return nil
	}
	out, err := os.Create(*f.reportFile)
	if err != nil {
		return fmt.Errorf("--report-file: %w", err)
	}
	write := rep.WriteText
	switch strings.ToLower(filepath.Ext(*f.reportFile)) {
	case ".json":
		write = rep.WriteJSON
	case ".md":
		write = rep.WriteMarkdownFull
	}
	if err := write(out); err != nil {
		out.Close()
		return fmt.Errorf("--report-file: %w", err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("--report-file: %w", err)
	}
	return nil
}
