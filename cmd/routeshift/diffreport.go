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
		acceptFile:       fs.String("accept-file", "", "file of reviewed, intended changes (docs/diff.md); default "+report.DefaultAcceptFile+" when it exists; \"none\" reads none"),
		acceptBase:       fs.String("accept-base", "", "the accept file of the base revision: the report lists the acknowledgements that are not in it as added by the change"),
		converterResults: fs.String("converter-results", "", "the converter's KRM results (a results list or the function's ResourceList): causes it reported as approximations are marked with its words"),
		reportFile:       fs.String("report-file", "", "also write the whole report, never cut, to this file: JSON for .json, Markdown for .md, text otherwise"),
	}
}

// apply reads the files the flags name into rep.
func (f reportFlags) apply(rep *report.Report) error {
	name := *f.acceptFile
	if name == "" {
		if _, err := os.Stat(report.DefaultAcceptFile); err == nil {
			name = report.DefaultAcceptFile
		}
	}
	if name != "" && name != "none" {
		acks, err := report.ReadAcceptFile(name)
		if err != nil {
			return fmt.Errorf("--accept-file: %w", err)
		}
		var base *report.AcceptFile
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
	if *f.converterResults != "" {
		rs, err := report.ReadConverterResults(*f.converterResults)
		if err != nil {
			return fmt.Errorf("--converter-results: %w", err)
		}
		rep.MarkApproximations(rs)
	}
	return nil
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
