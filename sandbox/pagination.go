package sandbox

import (
	"net/http"
	"strconv"
	"strings"
)

// Pagination bounds (E12).
const (
	defaultPerPage = 100
	maxPerPage     = 10000
)

// paginate reads page and per_page, sets the Total, Per-Page and Link
// headers, and returns the slice bounds of the requested page within total
// items. A page beyond the last is empty.
func paginate(w http.ResponseWriter, r *http.Request, total int) (start, end int) {
	q := r.URL.Query()
	page := intParam(q.Get("page"), 1)
	perPage := min(max(intParam(q.Get("per_page"), defaultPerPage), 1), maxPerPage)
	last := max((total+perPage-1)/perPage, 1)

	h := w.Header()
	h.Set("Total", strconv.Itoa(total))
	h.Set("Per-Page", strconv.Itoa(perPage))
	if link := linkHeader(r, page, perPage, last); link != "" {
		h.Set("Link", link)
	}
	if page > last {
		return total, total
	}
	start = (page - 1) * perPage
	return start, min(start+perPage, total)
}

// intParam parses a positive integer query value, or returns def.
func intParam(v string, def int) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return def
	}
	return n
}

// linkHeader builds the Link header following Procore's relation rules:
// page 1 has next and last; page 2 first, next and last; later pages add
// prev; the last page has neither next nor last; a single page has no Link.
// The URLs keep every original query parameter.
func linkHeader(r *http.Request, page, perPage, last int) string {
	if last == 1 && page == 1 {
		return ""
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	link := func(n int, rel string) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		q.Set("per_page", strconv.Itoa(perPage))
		return "<" + scheme + "://" + r.Host + r.URL.Path + "?" + q.Encode() + `>; rel="` + rel + `"`
	}
	var links []string
	if page >= 2 {
		links = append(links, link(1, "first"))
	}
	if page >= 3 {
		links = append(links, link(min(page-1, last), "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	return strings.Join(links, ", ")
}
