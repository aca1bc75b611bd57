package convert

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/internal/lazyregexp"
	"gopkg.in/yaml.v3"
)

// A Bruno collection is a folder: bruno.json names it, each request is a
// .bru file (folders group them), environments/NAME.bru hold variables.
// A .bru file is a list of blocks: "name {" … "}" (key: value lines, or
// raw text for bodies, scripts and tests) and "name [" … "]" (lists).

// bruBlock is one block of a .bru file.
type bruBlock struct {
	name string
	line int
	// pairs are the key: value lines of a dictionary block, disabled ones
	// (~key) left out; text is the raw content of a text block; list the
	// items of a list block.
	pairs [][2]string
	text  string
	list  []string
}

var bruOpenRE = lazyregexp.New(`^([A-Za-z][\w:-]*)\s*([{\[])\s*$`)

// bruTextBlocks hold raw text rather than key: value lines.
func bruTextBlock(name string) bool {
	return strings.HasPrefix(name, "body") && name != "body:form-urlencoded" && name != "body:multipart-form" ||
		strings.HasPrefix(name, "script:") || name == "tests" || name == "docs"
}

// parseBru reads the blocks of a .bru file.
func parseBru(file, text string) ([]*bruBlock, error) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var blocks []*bruBlock
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		m := bruOpenRE.FindStringSubmatch(t)
		if m == nil {
			return nil, fmt.Errorf("%s:%d: %q does not open a block (name { or name [)", file, i+1, t)
		}
		b := &bruBlock{name: m[1], line: i + 1}
		closer := map[string]string{"{": "}", "[": "]"}[m[2]]
		var body []string
		for i++; i < len(lines) && strings.TrimRight(lines[i], " \t") != closer; i++ {
			body = append(body, lines[i])
		}
		if i == len(lines) {
			return nil, fmt.Errorf("%s:%d: block %s is not closed with %s", file, b.line, b.name, closer)
		}
		switch {
		case closer == "]":
			for _, l := range body {
				if v := strings.TrimSuffix(strings.TrimSpace(l), ","); v != "" {
					b.list = append(b.list, v)
				}
			}
		case bruTextBlock(b.name):
			for j, l := range body {
				body[j] = strings.TrimPrefix(l, "  ")
			}
			b.text = strings.Trim(strings.Join(body, "\n"), "\n")
		default:
			for j, l := range body {
				l = strings.TrimSpace(l)
				if l == "" || strings.HasPrefix(l, "~") {
					continue
				}
				k, v, ok := strings.Cut(l, ":")
				if !ok {
					return nil, fmt.Errorf("%s:%d: %q is not a key: value line", file, b.line+1+j, l)
				}
				b.pairs = append(b.pairs, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
			}
		}
		blocks = append(blocks, b)
	}
	return blocks, nil
}

// bruRequest is a parsed request file.
type bruRequest struct {
	file   string
	name   string
	seq    int
	blocks []*bruBlock
}

// block returns the first block named name, or nil.
func (r *bruRequest) block(name string) *bruBlock {
	for _, b := range r.blocks {
		if b.name == name {
			return b
		}
	}
	return nil
}

// value returns the value of key in the block named name.
func (r *bruRequest) value(name, key string) string {
	if b := r.block(name); b != nil {
		for _, p := range b.pairs {
			if p[0] == key {
				return p[1]
			}
		}
	}
	return ""
}

// ImportBruno converts a Bruno collection folder (read from fsys, its
// root the collection's folder) into one collection: requests in their
// folders' order, named "Folder / Request", and each environment into
// env/NAME.yaml for --env NAME. Assertions, tests, post-response vars and
// bru.setVar scripts become checks and captures.
func ImportBruno(name string, fsys fs.FS) (*Import, error) {
	if cfg, err := fs.ReadFile(fsys, "bruno.json"); err == nil {
		if n := jsonName(cfg); n != "" {
			name = n
		}
	}
	reqs, err := bruRequests(fsys)
	if err != nil {
		return nil, fmt.Errorf("import bruno: %w", err)
	}
	if len(reqs) == 0 {
		return nil, fmt.Errorf("import bruno: no request (.bru file) found")
	}
	b := newBuilder(name)
	im := &Import{}
	envs, err := b.bruEnvironments(fsys)
	if err != nil {
		return nil, fmt.Errorf("import bruno: %w", err)
	}
	for _, r := range reqs {
		b.bruStep(r)
	}
	yml, err := b.build("")
	if err != nil {
		return nil, fmt.Errorf("import bruno: %w", err)
	}
	im.Files = append([]File{{Name: fileName(name), Data: yml}}, envs...)
	im.Notes, im.Scripts = b.notes, b.scripts
	return im, nil
}

// bruRequests reads the request files in Bruno's order: by seq within a
// folder, a folder's requests before its subfolders'.
func bruRequests(fsys fs.FS) ([]*bruRequest, error) {
	var out []*bruRequest
	var walk func(dir, prefix string) error
	walk = func(dir, prefix string) error {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return err
		}
		var here []*bruRequest
		var subdirs []string
		for _, e := range entries {
			p := path.Join(dir, e.Name())
			switch {
			case e.IsDir() && e.Name() != "environments" && !strings.HasPrefix(e.Name(), ".") && e.Name() != "node_modules":
				subdirs = append(subdirs, p)
			case !e.IsDir() && strings.HasSuffix(e.Name(), ".bru") && e.Name() != "folder.bru" && e.Name() != "collection.bru":
				data, err := fs.ReadFile(fsys, p)
				if err != nil {
					return err
				}
				blocks, err := parseBru(p, string(data))
				if err != nil {
					return err
				}
				r := &bruRequest{file: p, blocks: blocks, name: strings.TrimSuffix(e.Name(), ".bru")}
				if n := r.value("meta", "name"); n != "" {
					r.name = n
				}
				r.seq, _ = strconv.Atoi(r.value("meta", "seq"))
				r.name = prefix + r.name
				here = append(here, r)
			}
		}
		slices.SortStableFunc(here, func(a, b *bruRequest) int { return a.seq - b.seq })
		out = append(out, here...)
		for _, d := range subdirs {
			if err := walk(d, prefix+path.Base(d)+" / "); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(".", "")
}

// bruEnvironments converts environments/*.bru into env/NAME.yaml files;
// secret variables are declared secret and left empty.
func (b *builder) bruEnvironments(fsys fs.FS) ([]File, error) {
	files, _ := fs.Glob(fsys, "environments/*.bru")
	var out []File
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		blocks, err := parseBru(f, string(data))
		if err != nil {
			return nil, err
		}
		env := mapping()
		for _, bl := range blocks {
			switch bl.name {
			case "vars":
				for _, p := range bl.pairs {
					add(env, varName(p[0]), str(b.template(p[1], "")))
				}
			case "vars:secret":
				for _, s := range bl.list {
					n := varName(s)
					add(env, n, str(""))
					b.secret(n)
					b.note("", fmt.Sprintf("environment %s: secret %s is empty; set it with --var %s=…", path.Base(f), n, n))
				}
			}
		}
		b.pending = nil
		text, err := yaml.Marshal(env)
		if err != nil {
			return nil, err
		}
		out = append(out, File{Name: "env/" + strings.TrimSuffix(path.Base(f), ".bru") + ".yaml", Data: text})
	}
	return out, nil
}
