// Package load reads and writes the Kubernetes manifests routeshift
// converts, in the two shapes it meets them: YAML streams (files,
// directories, stdin) for the CLI, and a ResourceList for the KRM function.
//
// The model is kyaml's kio package: readers turn text into objects, the
// pipeline works on the objects, writers turn objects back into text. The
// difference is what happens to objects nobody touched. A conversion of a
// cluster's manifests changes the Ingresses and passes everything else
// through, and re-encoding those objects would both reformat them (key
// order, quoting, comments, indentation, line endings: the diff a user
// reviews would be full of noise) and cost more than reading: for 10,000
// objects (BenchmarkWriteResourceListEncoded), encoding allocates about
// 580 MB and takes longer than parsing them, while copying their text
// (BenchmarkWriteResourceList) takes under a millisecond. So every Object
// keeps the text it was read from, and writers copy that text byte for
// byte. Only objects without text are encoded:
// generated ones (NewObject), items of a v1 List, and objects the caller
// changed and marked with MarkChanged.
//
// # Streams
//
// ReadStream cuts a stream into documents at its "---" and "..." lines
// before parsing, which the YAML spec allows because a marker at column 0
// always ends a document, and parses each document on its own, so each
// object's text is exactly its document. Documents holding only comments
// produce no object; their text travels with the next object (or the last
// one), so comments survive a round trip. WriteStream puts "---" between
// documents unless a document's text brings its own marker: reading a
// stream and writing it back reproduces it exactly.
//
// # ResourceLists
//
// ReadResourceList cuts the items region into one text per item by its
// lines (items.go), from the "-" that starts an item to the next, and
// parses runs of items on every core. Layouts it cannot cut that way are
// parsed as one document, and each item's lines are then found from the
// parsed positions. The "-" column is the item's indentation;
// WriteResourceList copies items whose indentation matches the output's
// and encodes the others at that column, because all items of a block
// sequence must line up. Items in flow style, or whose "-" cannot be
// found, have no text and are encoded: the output is correct, only not
// byte-identical.
//
// # Speed
//
// Parsing is most of what reading costs. parseDocument first tries
// parseFast, a parser of the block subset that kustomize, kpt and kubectl
// write, which builds the same tree as yaml.v3 (parseYAML; FuzzParseFast
// holds them equal) several times faster, with a few allocations per
// document; anything else goes to yaml.v3. Documents and runs of items are
// parsed on every core. Once a caller has read what it needs of an object,
// Thin drops its tree but for its identity and metadata; its text is what
// gets written, and Tree parses the text again if anyone asks. Generated
// objects are written straight from their JSON form (EncodeJSON,
// NewObjectFromJSON), or from their typed value as that JSON form would
// read (NewObjectFromValue, without making the JSON), never as node
// trees. StringScalar and DecimalScalar let a reader decode common shapes
// straight from a tree, as JSON would give them, and leave the rest to
// the JSON route.
//
// # Reading as the API server does
//
// Objects are read as kubectl and the API server read them, whatever the
// command (docs/reading.md): the parsers tag YAML 1.1's booleans (on,
// yes, ...) !!bool, JSON writes what sigs.k8s.io/yaml's YAMLToJSON writes
// (017 is 15, non-string keys become strings; scalar.go), and
// CheckMetadata holds labels and annotations to map[string]string and to
// one rule for the characters they may hold. Writers escape whatever a
// YAML reader would change (emit.go). The proof reads manifests with code
// of its own (internal/proof/internal/kube); a differential test holds the
// two readers to the same objects.
//
// # What is rejected
//
// Besides malformed YAML and documents that are not mappings, readers
// reject what a parsed node tree would silently get wrong: duplicate keys
// (the parser only catches them when decoding into Go values), aliases and
// merge keys (a node tree does not expand them, so yaml.v3's protection
// against alias bombs would never run and every reader of the tree would
// need to resolve them; manifests almost never use them), invalid UTF-8
// and control characters. Errors name the file, the document and the line.
package load
