// Command plain is the floor of the chain benchmark: the chain of
// bench/chain.yaml (a client-credentials token, /me, the projects list;
// three requests and five checks) written by hand with net/http and
// encoding/json and nothing else, run N times in a row.
//
//	plain -url https://127.0.0.1:PORT -cacert cert.pem -client-id ID -client-secret SECRET -company 4264807 -n 300
//
// With -d it is the floor of the load benchmark (bench/load.sh): the chain,
// or with -single GET /me with one token, in -c concurrent loops or at
// -rate requests a second, for the duration; it prints to stderr the
// requests it sent. -http1.1 keeps it to HTTP/1.1.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "plain:", err)
		os.Exit(1)
	}
}

// chain holds what every run of the chain needs.
type chain struct {
	base, clientID, secret string
	company                int64
	client                 *http.Client
}

func run() error {
	c := &chain{}
	n := flag.Int("n", 300, "run the chain `N` times")
	caFile := flag.String("cacert", "", "trust the certificate in `FILE`")
	flag.StringVar(&c.base, "url", "", "the server's base `URL`")
	flag.StringVar(&c.clientID, "client-id", "", "the OAuth client `ID`")
	flag.StringVar(&c.secret, "client-secret", "", "the OAuth client `SECRET`")
	flag.Int64Var(&c.company, "company", 0, "the company `ID`")
	var lf loadFlags
	flag.DurationVar(&lf.duration, "d", 0, "run for `DURATION` (a load floor) instead of -n chains")
	flag.IntVar(&lf.users, "c", 1, "with -d, run `N` loops at once")
	flag.BoolVar(&lf.single, "single", false, "with -d, send GET /me with one token instead of the chain")
	flag.Float64Var(&lf.rate, "rate", 0, "with -d, start `R` iterations a second instead of loops")
	http1 := flag.Bool("http1.1", false, "speak HTTP/1.1 only")
	flag.Parse()
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = max(lf.users, 100)
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return err
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		transport.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	if *http1 {
		transport.Protocols = new(http.Protocols)
		transport.Protocols.SetHTTP1(true)
	}
	c.client = &http.Client{Transport: transport}
	if lf.duration > 0 {
		return c.load(lf)
	}
	for i := range *n {
		if err := c.once(); err != nil {
			return fmt.Errorf("chain %d: %w", i+1, err)
		}
	}
	fmt.Printf("%d chains passed\n", *n)
	return nil
}

// once runs the chain: token, me, projects, with five checks.
func (c *chain) once() error {
	token, err := c.token()
	if err != nil {
		return err
	}
	var me map[string]any
	company := strconv.FormatInt(c.company, 10)
	if err := c.do(http.MethodGet, c.base+"/rest/v1.0/me?company_id="+company, nil, token, &me); err != nil {
		return fmt.Errorf("me: %w", err)
	}
	var projects []any
	u := c.base + "/rest/v1.0/projects?company_id=" + company
	if err := c.do(http.MethodGet, u, nil, token, &projects); err != nil {
		return fmt.Errorf("projects: %w", err)
	}
	if len(projects) < 1 {
		return errors.New("projects: want at least one")
	}
	return nil
}

// token gets an access token by client credentials and checks its
// token_type.
func (c *chain) token() (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.clientID}, "client_secret": {c.secret}}
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if err := c.do(http.MethodPost, c.base+"/oauth/token", strings.NewReader(form.Encode()), "", &tok); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	if tok.TokenType != "bearer" {
		return "", fmt.Errorf("token: token_type %q, want bearer", tok.TokenType)
	}
	return tok.AccessToken, nil
}

// do sends a request, checks the status is 200 and decodes the JSON body
// into out, unless out is nil.
func (c *chain) do(method, target string, body io.Reader, token string, out any) error {
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Procore-Company-Id", strconv.FormatInt(c.company, 10))
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d, want 200", resp.StatusCode)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}
