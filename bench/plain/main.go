// Command plain is the floor of the chain benchmark: the Procore chain of
// collections/procore/first-call.yaml (authorize, token, me, projects, with
// the same checks and captures) written by hand with net/http and
// encoding/json and nothing else.
//
//	go run ./bench/plain -n 300
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/callsheet/callsheet/bench/internal/harness"
	"github.com/callsheet/callsheet/sandbox"
)

const (
	oob       = "urn:ietf:wg:oauth:2.0:oob"
	companyID = sandbox.DemoCompanyID
)

var (
	loginRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	codeRE  = regexp.MustCompile(`<code id="authorization_code">([^<]+)</code>`)
)

func main() {
	harness.Main("plain", func(t harness.Target) (harness.Chain, error) {
		noFollow := *t.Client
		noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		c := &chain{base: t.URL, client: t.Client, noFollow: &noFollow}
		return c.run, nil
	})
}

type chain struct {
	base             string
	client, noFollow *http.Client
}

func (c *chain) run(ctx context.Context) error {
	code, err := c.authorize(ctx)
	if err != nil {
		return fmt.Errorf("authorize: %w", err)
	}
	token, err := c.token(ctx, code)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	if err := c.me(ctx, token); err != nil {
		return fmt.Errorf("me: %w", err)
	}
	if _, err := c.projects(ctx, token); err != nil {
		return fmt.Errorf("projects: %w", err)
	}
	return nil
}

// authorize asks for a code and reads it from the out-of-band page the
// redirect leads to.
func (c *chain) authorize(ctx context.Context) (string, error) {
	state := make([]byte, 16)
	rand.Read(state)
	q := url.Values{
		"client_id":     {sandbox.DemoClientID},
		"redirect_uri":  {oob},
		"response_type": {"code"},
		"state":         {hex.EncodeToString(state)},
	}
	resp, err := c.get(ctx, c.noFollow, c.base+"/oauth/authorize?"+q.Encode(), nil)
	if err != nil {
		return "", err
	}
	loc, err := resp.Location()
	if err != nil {
		return "", err
	}
	resp, err = c.get(ctx, c.noFollow, loc.String(), nil)
	if err != nil {
		return "", err
	}
	body, err := readClose(resp)
	if err != nil {
		return "", err
	}
	m := codeRE.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no code in %q", body)
	}
	return string(m[1]), nil
}

func (c *chain) token(ctx context.Context, code string) (string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range [][2]string{
		{"grant_type", "authorization_code"},
		{"client_id", sandbox.DemoClientID},
		{"client_secret", sandbox.DemoClientSecret},
		{"code", code},
		{"redirect_uri", oob},
	} {
		w.WriteField(kv[0], kv[1])
	}
	w.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/oauth/token", &buf)
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := c.client.Do(req)
	if err != nil {
		return "", err
	}
	body, err := readClose(resp)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "application/json") {
		return "", fmt.Errorf("Content-Type %q", ct)
	}
	var tok struct {
		TokenType    string          `json:"token_type"`
		ExpiresIn    json.Number     `json:"expires_in"`
		AccessToken  *string         `json:"access_token"`
		RefreshToken *string         `json:"refresh_token"`
		CreatedAt    json.RawMessage `json:"created_at"`
	}
	if err := json.Unmarshal(body, &tok); err != nil {
		return "", err
	}
	if tok.TokenType != "bearer" {
		return "", fmt.Errorf("token_type %q", tok.TokenType)
	}
	if n, err := tok.ExpiresIn.Float64(); err != nil || n <= 0 {
		return "", fmt.Errorf("expires_in %q", tok.ExpiresIn)
	}
	if tok.AccessToken == nil || tok.RefreshToken == nil {
		return "", fmt.Errorf("missing tokens")
	}
	if _, err := strconv.ParseInt(string(tok.CreatedAt), 10, 64); err != nil {
		return "", fmt.Errorf("created_at %s", tok.CreatedAt)
	}
	return *tok.AccessToken, nil
}

func (c *chain) me(ctx context.Context, token string) error {
	resp, err := c.get(ctx, c.client, c.base+"/rest/v1.0/me", http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		return err
	}
	body, err := readClose(resp)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	var me struct {
		ID    json.RawMessage `json:"id"`
		Login string          `json:"login"`
		Name  json.RawMessage `json:"name"`
	}
	if err := json.Unmarshal(body, &me); err != nil {
		return err
	}
	if _, err := strconv.ParseInt(string(me.ID), 10, 64); err != nil {
		return fmt.Errorf("id %s", me.ID)
	}
	if !loginRE.MatchString(me.Login) {
		return fmt.Errorf("login %q", me.Login)
	}
	if me.Name == nil {
		return fmt.Errorf("no name")
	}
	return nil
}

func (c *chain) projects(ctx context.Context, token string) (int64, error) {
	id := strconv.Itoa(companyID)
	resp, err := c.get(ctx, c.client, c.base+"/rest/v1.0/projects?company_id="+id, http.Header{
		"Authorization":      {"Bearer " + token},
		"Procore-Company-Id": {id},
	})
	if err != nil {
		return 0, err
	}
	body, err := readClose(resp)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	if _, ok := resp.Header["Total"]; !ok {
		return 0, fmt.Errorf("no Total header")
	}
	var projects []struct {
		ID      int64 `json:"id"`
		Company struct {
			ID int64 `json:"id"`
		} `json:"company"`
	}
	if err := json.Unmarshal(body, &projects); err != nil {
		return 0, err
	}
	if len(projects) < 1 || projects[0].Company.ID != companyID {
		return 0, fmt.Errorf("projects %s", body)
	}
	return projects[0].ID, nil
}

func (c *chain) get(ctx context.Context, client *http.Client, u string, h http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		readClose(resp) // drain, so the connection is reused
	}
	return resp, nil
}

func readClose(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
