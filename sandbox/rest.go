package sandbox

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// restCacheControl is the Cache-Control Procore sends on API responses.
const restCacheControl = "no-store, must-revalidate, private, max-age=0"

// missingCompanyHeader is Procore's documented message (E8).
const missingCompanyHeader = "Missing Procore-Company-Id header! Each call your application makes to the Procore API must contain a request header that includes the Procore-Company-Id field. This request header field specifies the id of the company into which you are making the call."

// restHandler serves an API call made with the live token t.
type restHandler func(w http.ResponseWriter, r *http.Request, t tokenPair)

// rest wraps h with the bearer check (E6) and the rate limit (E7).
func (s *Sandbox) rest(h restHandler) func(http.ResponseWriter, *http.Request, knobs) {
	return func(w http.ResponseWriter, r *http.Request, k knobs) {
		w.Header().Set("Cache-Control", restCacheControl)
		t, problem := s.lookupAccess(r)
		if problem != "" {
			setChallenge(w.Header(), "invalid_token", problem)
			writeJSON(w, http.StatusUnauthorized, oauthError{"invalid_token", problem})
			return
		}
		if !s.takeRate(w, t.access, s.rateLimit(k)) {
			return
		}
		h(w, r, t)
	}
}

// companyScope applies the Procore-Company-Id checks (E8) and reports
// whether the call may go on; if not, it has written the answer.
func (s *Sandbox) companyScope(w http.ResponseWriter, r *http.Request) bool {
	query := r.URL.Query().Get("company_id")
	id, err := strconv.ParseInt(strings.TrimSpace(r.Header.Get("Procore-Company-Id")), 10, 64)
	if err != nil {
		if s.cfg.CompanyHeader == CompanyHeaderRequired {
			writeJSON(w, s.cfg.MissingCompanyHeaderStatus, restError{missingCompanyHeader})
			return false
		}
		if id, err = strconv.ParseInt(query, 10, 64); err != nil {
			return true // lenient and nothing to scope by
		}
	}
	if query != "" && query != strconv.FormatInt(id, 10) {
		writeJSON(w, http.StatusNotFound, restError{"Item not found"})
		return false
	}
	c, ok := s.fx.company(id)
	if !ok {
		writeJSON(w, http.StatusNotFound, restError{"Item not found"})
		return false
	}
	if !c.installed {
		writeJSON(w, http.StatusForbidden, restError{"App is not connected to this company"})
		return false
	}
	return true
}

// me serves E9: GET /rest/v1.0/me. Unlike the spec, name is always set.
func (s *Sandbox) me(w http.ResponseWriter, r *http.Request, t tokenPair) {
	q := r.URL.Query()
	if (t.service || q.Has("company_id") || q.Has("project_id")) && !s.companyScope(w, r) {
		return
	}
	u, ok := s.fx.user(t.ownerID)
	if !ok {
		writeJSON(w, http.StatusNotFound, restError{"Item not found"})
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// companies serves E10: GET /rest/v1.0/companies. Service-account tokens
// need the company header and see only companies with the app installed.
func (s *Sandbox) companies(w http.ResponseWriter, r *http.Request, t tokenPair) {
	if t.service && !s.companyScope(w, r) {
		return
	}
	list := make([]company, 0, len(s.fx.companies))
	for _, c := range s.fx.companies {
		if c.installed || !t.service {
			list = append(list, c)
		}
	}
	start, end := paginate(w, r, len(list))
	writeJSON(w, http.StatusOK, list[start:end])
}

// projects serves E11: GET /rest/v1.0/projects and, with v11,
// /rest/v1.1/projects.
func (s *Sandbox) projects(v11 bool) restHandler {
	return func(w http.ResponseWriter, r *http.Request, _ tokenPair) {
		q := r.URL.Query()
		companyID, err := strconv.ParseInt(q.Get("company_id"), 10, 64)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, restError{"company_id is required"})
			return
		}
		if !s.companyScope(w, r) {
			return
		}
		list := filterProjects(s.fx.projects, companyID, q)
		start, end := paginate(w, r, len(list))
		list = list[start:end]

		view := q.Get("serializer_view")
		if v11 {
			view = q.Get("view")
		}
		if view != "compact" {
			writeJSON(w, http.StatusOK, list)
			return
		}
		out := make([]any, len(list))
		for i, p := range list {
			if v11 {
				out[i] = idName{p.ID, p.Name}
			} else {
				out[i] = struct {
					ID          int64  `json:"id"`
					Name        string `json:"name"`
					DisplayName string `json:"display_name"`
				}{p.ID, p.Name, p.DisplayName}
			}
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// filterProjects applies company_id, filters[by_status] (default Active),
// filters[id][], filters[name] and sort. Other filters are ignored.
func filterProjects(all []project, companyID int64, q map[string][]string) []project {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	status := strings.ToLower(get("filters[by_status]"))
	name := strings.ToLower(get("filters[name]"))
	ids := q["filters[id][]"]
	var out []project
	for _, p := range all {
		switch {
		case p.Company.ID != companyID,
			status == "inactive" && p.Active,
			status != "inactive" && status != "all" && !p.Active,
			name != "" && !strings.Contains(strings.ToLower(p.Name), name),
			len(ids) > 0 && !slices.Contains(ids, strconv.FormatInt(p.ID, 10)):
			continue
		}
		out = append(out, p)
	}
	switch get("sort") {
	case "name":
		slices.SortStableFunc(out, func(a, b project) int { return strings.Compare(a.Name, b.Name) })
	case "display_name":
		slices.SortStableFunc(out, func(a, b project) int { return strings.Compare(a.DisplayName, b.DisplayName) })
	}
	return out
}
