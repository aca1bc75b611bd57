package mask

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// tokens returns n distinct tokens as a long run captures them: half
// opaque (43 characters of base64url), half JWTs sharing their header.
func tokens(n int) []string {
	r := rand.New(rand.NewPCG(7, 7))
	out := make([]string, n)
	for i := range out {
		var b [32]byte
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		tok := base64.RawURLEncoding.EncodeToString(b[:])
		if i%2 == 1 {
			tok = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"sub":"user-%d","n":%d}`, i, r.Uint32()))) + "." + tok
		}
		out[i] = tok
	}
	return out
}

// stepTexts are the texts one step shows: the URL, the request and
// response header values and a JSON body of about 1 KB, none holding a
// secret.
func stepTexts() []string {
	texts := []string{
		"https://api.example.test/rest/v1.0/projects?company_id=8089&page=1&per_page=100",
		"application/json", "callsheet/1.0", "gzip", "keep-alive", "no-cache", "Tue, 01 Dec 2026 10:00:00 GMT",
		"1024", "nginx", "req-5f2c9a7e-31b8-4d7e-9a51-0c8f0e6b2d11", "max-age=0",
	}
	var body strings.Builder
	body.WriteString(`{"projects":[`)
	for i := range 10 {
		fmt.Fprintf(&body, `{"id":%d,"name":"Project %d","status":"active","updated_at":"2026-12-01T10:00:00Z"},`, 1000+i, i)
	}
	body.WriteString(`{"id":0}]}`)
	return append(texts, body.String())
}

// BenchmarkStep masks the texts of one step with 1, 100 and 3,333 secrets
// registered: the cost per step stays the same, whatever the number of
// secrets.
func BenchmarkStep(b *testing.B) {
	texts := stepTexts()
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	for _, n := range []int{1, 100, 3333} {
		m := New()
		for _, tok := range tokens(n) {
			m.Add(tok)
		}
		b.Run(fmt.Sprintf("secrets=%d", n), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, t := range texts {
					if m.String(t) != t {
						b.Fatal("masked a text holding no secret")
					}
				}
			}
		})
	}
}

// BenchmarkStepWithSecret is BenchmarkStep with one secret in the body.
func BenchmarkStepWithSecret(b *testing.B) {
	texts := stepTexts()
	for _, n := range []int{1, 100, 3333} {
		toks := tokens(n)
		m := New()
		for _, tok := range toks {
			m.Add(tok)
		}
		body := texts[len(texts)-1]
		withSecret := append(append([]string{}, texts[:len(texts)-1]...), body[:500]+toks[n-1]+body[500:])
		b.Run(fmt.Sprintf("secrets=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, t := range withSecret {
					m.String(t)
				}
			}
		})
	}
}

// BenchmarkAdd registers 3,333 secrets one by one, as a file of that many
// secret captures does: each costs the length of its forms.
func BenchmarkAdd(b *testing.B) {
	toks := tokens(3333)
	b.ReportAllocs()
	for b.Loop() {
		m := New()
		for _, tok := range toks {
			m.Add(tok)
		}
	}
}

// BenchmarkBodies masks bodies of 1 KB to 1 MB holding a secret every
// 4 KB with 100 secrets registered, whole (Bytes) and cut to 64 KB
// (Prefix): Bytes costs the same per byte (MB/s) at every size, and
// Prefix no more than the 64 KB it keeps.
func BenchmarkBodies(b *testing.B) {
	toks := tokens(100)
	m := New()
	for _, tok := range toks {
		m.Add(tok)
	}
	body := stepTexts()[len(stepTexts())-1]
	for _, size := range []int{1 << 10, 64 << 10, 1 << 20} {
		var text strings.Builder
		for i := 0; text.Len() < size; i++ {
			text.WriteString(body)
			if i%4 == 3 {
				text.WriteString(toks[i%len(toks)])
			}
		}
		in := []byte(text.String()[:size])
		b.Run(fmt.Sprintf("Bytes/%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				m.Bytes(in)
			}
		})
		b.Run(fmt.Sprintf("Prefix/%dKB", size>>10), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.Prefix(in, 64<<10)
			}
		})
	}
}
