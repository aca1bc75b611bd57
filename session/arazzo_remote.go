package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"sync"

	"github.com/callsheet/callsheet/arazzo"
	"github.com/callsheet/callsheet/collections"
)

// A source description whose url is http(s) is fetched with the session's
// HTTP client (so --cacert, --insecure and the sandbox's certificate
// apply), once per URL per session, when the run starts: Load leaves it
// unread (arazzo.Sources.Defer), and Run reads every such source of the
// units' documents before it sends anything (resolveRemote). `callsheet
// validate` sends nothing: it refuses such sources (refuseFetch), which
// --var NAME=FILE replaces with a local copy.
//
// A variable named like a source description says where that source is
// (sourceVars): a value that is not an http(s) URL is a local file to
// read the description from; an http(s) URL replaces the description's
// URL when the document reads it from a URL, and otherwise (a local
// description) the server URL of its operations.

// maxSourceSize bounds a fetched source description.
const maxSourceSize = arazzo.MaxFileSize

// fetcher reads http(s) source descriptions, each URL once: its answers
// and errors are kept for the session.
type fetcher struct {
	// limit is the largest description read, in bytes.
	limit int64
	mu    sync.Mutex
	got   map[string]fetched
}

// fetched is what fetching one URL gave.
type fetched struct {
	data []byte
	err  error
}

func newFetcher() *fetcher { return &fetcher{limit: maxSourceSize, got: map[string]fetched{}} }

// with returns the fetch function of arazzo.Sources that reads through
// client.
func (f *fetcher) with(client *http.Client) func(ctx context.Context, location string) ([]byte, error) {
	if f == nil || client == nil {
		return refuseFetch
	}
	return func(ctx context.Context, location string) ([]byte, error) {
		f.mu.Lock()
		defer f.mu.Unlock() // one fetch at a time: units share the answers
		if got, ok := f.got[location]; ok {
			return got.data, got.err
		}
		data, err := fetch(ctx, client, location, f.limit)
		f.got[location] = fetched{data, err}
		return data, err
	}
}

// fetch GETs location with client, within maxResolve: a 2xx answer of at
// most limit bytes.
func fetch(ctx context.Context, client *http.Client, location string, limit int64) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, maxResolve)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, location, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch a source description: %w", err)
	}
	location = req.URL.Redacted() // its password is no message's
	req.Header.Set("Accept", "application/yaml, application/json;q=0.9, */*;q=0.8")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", location, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("fetch %s: the server answered %s", location, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", location, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("fetch %s: the description is larger than %d bytes", location, limit)
	}
	return data, nil
}

// errValidateFetch is why `callsheet validate` reads no source
// description at an http(s) URL.
var errValidateFetch = errors.New("callsheet validate sends nothing, so it does not fetch source descriptions; --var NAME=FILE reads a local copy, and callsheet run fetches it")

// refuseFetch is the fetch function of `callsheet validate`.
func refuseFetch(context.Context, string) ([]byte, error) { return nil, errValidateFetch }

// sourceVars are where vars say the source descriptions of doc are
// (urls, by name: files and URLs to read instead) and the server URLs of
// the operations of those read from files, and of AsyncAPI sources
// given as ws:// or wss:// URLs (servers).
func sourceVars(doc *arazzo.Document, vars map[string]any) (urls, servers map[string]string) {
	urls, servers = map[string]string{}, map[string]string{}
	for _, sd := range doc.SourceDescriptions {
		v, _ := vars[sd.Name].(string)
		switch {
		case v == "":
		case isMessageURL(v):
			servers[sd.Name] = trimSlash(v)
		case !arazzo.IsRemote(v):
			urls[sd.Name] = v
		case remoteSource(doc, sd):
			urls[sd.Name] = v
		default:
			servers[sd.Name] = trimSlash(v)
		}
	}
	return urls, servers
}

// remoteSource reports whether doc reads sd from an http(s) URL.
func remoteSource(doc *arazzo.Document, sd *arazzo.SourceDescription) bool {
	loc, err := doc.SourceURL(sd)
	return err == nil && arazzo.IsRemote(loc)
}

func trimSlash(u string) string {
	for len(u) > 0 && u[len(u)-1] == '/' {
		u = u[:len(u)-1]
	}
	return u
}

// resolveRemote reads the source descriptions at http(s) URLs of the
// documents of the units, with client, before anything is sent: the
// errors of every document together, at the positions of their urls. The
// auth profiles that the security of their operations names are given to
// the steps then.
func (s *Session) resolveRemote(ctx context.Context, client *http.Client) error {
	vars := s.opts.Vars.Merge()
	done := map[*arazzo.Document]bool{}
	var errs []error
	for _, u := range s.units {
		f := u.flow
		if f == nil || !f.deferred || done[f.doc] {
			continue
		}
		done[f.doc] = true
		d, err := arazzo.Resolve(ctx, f.doc, f.sources(client, vars))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f.assignProfiles(d)
	}
	if len(errs) == 0 {
		return nil
	}
	var list collections.ErrorList
	for _, err := range errs {
		var l collections.ErrorList
		if !errors.As(err, &l) {
			return err
		}
		list = append(list, l...)
	}
	return list.Err()
}

// assignProfiles gives the steps of every workflow of f's document the
// auth profiles they have now that d has read every source.
func (f *flow) assignProfiles(d *arazzo.Description) {
	for _, w := range f.doc.Workflows {
		maps.Copy(f.profiles, f.ext.profiles(w, d, f.pc))
	}
	for _, g := range f.siblings {
		for i, s := range g.workflow.Steps {
			g.coll.Steps[i].Auth = f.profiles[s]
		}
	}
}

// sources are the arazzo.Sources of a run of f with vars: the sources
// at URLs fetched with client.
func (f *flow) sources(client *http.Client, vars map[string]any) arazzo.Sources {
	urls, servers := sourceVars(f.doc, vars)
	return sources(f.bundled, urls, servers, f.fetch.with(client))
}
