package inventory

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/routeshift/routeshift/internal/testtool"
)

// The HTML report is checked in a real browser: Debian's chromium,
// headless. `make test` installs it; CHROMIUM names another binary.
// A missing browser fails the test, because a skipped browser test would
// let a broken page pass CI unseen.
//
// Each page is opened twice, as a user's browser would open the attached
// file: once for a screenshot (--screenshot, 1280x2000), whose pixels must
// show the class colours of the bars, and once for the DOM after layout
// (--dump-dom), which must hold the three charts with one rect per bar,
// the tables, and no reference to anything outside the file.
//
// Console errors: both runs log with --enable-logging=stderr --v=0, which
// makes Chromium print every console message of the page to stderr as
// "...:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)"
// (older releases print "CONSOLE(<line>)"), uncaught exceptions included
// ("Uncaught ReferenceError: ..."). consoleErrors collects those lines;
// TestConsoleDetection proves on a page with a broken script that the
// method sees them, so that a clean result means a clean page. The page
// has no script, so any console message is a failure.

// SCREENSHOTS=dir keeps the screenshots for a person to look at.

func chromiumPath(t *testing.T) string {
	t.Helper()
	name := os.Getenv("CHROMIUM")
	if name == "" {
		name = "chromium"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		testtool.Missing(t, "headless Chromium", "%q was not found: "+
			"install Debian's chromium package (apt-get install chromium) or set CHROMIUM to its path", name)
	}
	return path
}

// runChromium opens page with the given mode flags and returns stdout and
// stderr; every run gets a new profile, so no state leaks between runs.
func runChromium(t *testing.T, bin, page string, mode ...string) (stdout, stderr []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0", "--window-size=1280,2000"}, mode...)
	args = append(args, "file://"+page)
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(mode, " "), err, errb.Bytes())
	}
	return out.Bytes(), errb.Bytes()
}

var hrefAttr = regexp.MustCompile(` href="([^"]*)"`)

var consoleLine = regexp.MustCompile(`CONSOLE[:(]|Uncaught`)

// consoleErrors are the page's console messages in Chromium's log.
func consoleErrors(stderr []byte) []string {
	var out []string
	for _, line := range strings.Split(string(stderr), "\n") {
		if consoleLine.MatchString(line) {
			out = append(out, line)
		}
	}
	return out
}

func TestConsoleDetection(t *testing.T) {
	bin := chromiumPath(t)
	page := filepath.Join(t.TempDir(), "broken.html")
	if err := os.WriteFile(page, []byte(`<!DOCTYPE html><html><body><p>x</p><script>console.error("from the page"); notAFunction();</script></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr := runChromium(t, bin, page, "--dump-dom")
	got := strings.Join(consoleErrors(stderr), "\n")
	if !strings.Contains(got, "from the page") || !strings.Contains(got, "Uncaught ReferenceError") {
		t.Fatalf("the console messages of a broken page were not found in Chromium's log; the method no longer works:\n%s", stderr)
	}
}

func TestHTMLInChromium(t *testing.T) {
	bin := chromiumPath(t)
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			rep := buildAt(t, tc.paths, defaults(tc.impls))
			dir := t.TempDir()
			page := filepath.Join(dir, tc.name+".html")
			if err := os.WriteFile(page, render(t, rep.WriteHTML), 0o644); err != nil {
				t.Fatal(err)
			}
			shot := filepath.Join(dir, tc.name+".png")
			_, shotErr := runChromium(t, bin, page, "--screenshot="+shot)
			dom, domErr := runChromium(t, bin, page, "--dump-dom")
			if errs := consoleErrors(append(shotErr, domErr...)); len(errs) > 0 {
				t.Errorf("console messages from the page:\n%s", strings.Join(errs, "\n"))
			}
			checkDOM(t, rep, string(dom))
			checkScreenshot(t, rep, shot)
			if keep := os.Getenv("SCREENSHOTS"); keep != "" {
				data, _ := os.ReadFile(shot)
				if err := os.WriteFile(filepath.Join(keep, tc.name+".png"), data, 0o644); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// checkDOM: the rendered document has every chart with all its bars, the
// tables, and nothing that loads from elsewhere.
func checkDOM(t *testing.T, rep *Report, dom string) {
	t.Helper()
	charts := rep.charts()
	drawn := 0
	for _, c := range charts {
		if c.Empty == "" {
			drawn++
		}
	}
	if n := strings.Count(dom, `<svg class="chart"`); n != drawn {
		t.Errorf("DOM has %d chart svg elements, want %d", n, drawn)
	}
	for _, c := range charts {
		start := strings.Index(dom, `<figure id="`+c.ID+`"`)
		end := strings.Index(dom[max(start, 0):], "</figure>")
		if start < 0 || end < 0 {
			t.Errorf("chart %s missing from the DOM", c.ID)
			continue
		}
		fig := dom[start : start+end]
		if n := strings.Count(fig, `<rect class="bar`); n != len(c.Bars) || n == 0 && len(rep.Annotations) > 0 {
			t.Errorf("chart %s: %d bars in the DOM, want %d", c.ID, n, len(c.Bars))
		}
	}
	for _, id := range []string{"summary", "classes", "namespaces", "hosts"} {
		if !strings.Contains(dom, `<table id="table-`+id+`"`) {
			t.Errorf("table %s missing from the DOM", id)
		}
	}
	if len(rep.Annotations) > 0 && !strings.Contains(dom, `<table id="table-annotations"`) {
		t.Error("annotation table missing from the DOM")
	}
	if rows := strings.Count(dom, "<tr>"); rows < len(rep.Hosts)+len(rep.Namespaces) {
		t.Errorf("only %d table rows in the DOM", rows)
	}
	for _, external := range []string{"<script", "<link", "<img", "<iframe", " src=", "@import", "url("} {
		if strings.Contains(dom, external) {
			t.Errorf("the page refers to something outside itself: %q", external)
		}
	}
	// Links only go to anchors of the page, and every anchor exists.
	for _, m := range hrefAttr.FindAllStringSubmatch(dom, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("the page links outside itself: href=%q", m[1])
		} else if !strings.Contains(dom, ` id="`+m[1][1:]+`"`) {
			t.Errorf("the contents link to %s, which the page does not have", m[1])
		}
	}
	if !strings.Contains(dom, `<a href="#plan">`) || !strings.Contains(dom, `<a href="#charts">`) {
		t.Error("the contents do not link to the plan and the charts")
	}
	// The plan leads: it comes before the charts and the tables.
	if plan, charts := strings.Index(dom, `<h2 id="plan"`), strings.Index(dom, `<h2 id="charts"`); plan < 0 || charts < plan {
		t.Errorf("the plan (at %d) does not come before the charts (at %d)", plan, charts)
	}
}

// checkScreenshot: the page was drawn at the requested size, and the
// colour of every class the primary implementation counts shows up (in
// the badges of the plan and the blocked groups at the top of the page,
// and the classification chart below them).
func checkScreenshot(t *testing.T, rep *Report, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("screenshot is %dx%d, want 1280x2000", b.Dx(), b.Dy())
	}
	for _, cl := range Classes {
		if rep.Summary[0].Of(cl) == 0 {
			continue
		}
		if n := countColor(img, classColors[cl]); n < 100 {
			t.Errorf("the %s colour %s covers %d pixels of the screenshot; the chart did not render", cl, classColors[cl], n)
		}
	}
}

func countColor(img image.Image, hex string) int {
	var want color.RGBA
	fmt.Sscanf(hex, "#%02x%02x%02x", &want.R, &want.G, &want.B)
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(bl>>8) == want.B {
				n++
			}
		}
	}
	return n
}
