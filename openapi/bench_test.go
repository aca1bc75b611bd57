package openapi_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/callsheet/callsheet/openapi"
)

// descriptions are a small and a large description: Procore's four
// endpoints (8 KB) and Twilio's api_v2010 (1.5 MB, 197 operations).
var descriptions = []struct{ name, file string }{
	{"procore", procoreDescription},
	{"twilio", "../convert/testdata/openapi/twilio_api_v2010.yaml"},
}

func BenchmarkLoad(b *testing.B) {
	for _, d := range descriptions {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := openapi.LoadFile(context.Background(), d.file); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNewChecker(b *testing.B) {
	for _, d := range descriptions {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				// The checker compiles what it reads from the loaded
				// description, so each round loads it again.
				b.StopTimer()
				desc, err := openapi.LoadFile(context.Background(), d.file)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := openapi.NewChecker(desc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheckResponse checks the sandbox's list of projects, as the
// runner would after each step.
func BenchmarkCheckResponse(b *testing.B) {
	d, c := load(b, procoreDescription)
	u := &url.URL{Path: "/rest/v1.0/projects", RawQuery: "company_id=4264807"}
	header := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Total": {"3"}, "Per-Page": {"100"},
		"X-Rate-Limit-Limit": {"3600"}, "X-Rate-Limit-Remaining": {"3599"}, "X-Rate-Limit-Reset": {"1700000000"}}
	body := []byte(`[{"id":562949953421313,"name":"1234 – Sandbox Test Project","display_name":"1234 - Sandbox Test Project","project_number":"1234","address":"6309 Carpinteria Avenue","city":"Carpinteria","state_code":"CA","country_code":"US","zip":"93013","county":"Santa Barbara County","time_zone":"US/Pacific","latitude":34.4208,"longitude":-119.6982,"stage":"Course of Construction","project_stage":{"id":1,"name":"Course of Construction"},"phone":null,"created_at":"2024-03-14T16:20:05Z","updated_at":"2025-01-09T18:02:41Z","active":true,"origin_id":null,"origin_data":null,"origin_code":null,"company":{"id":4264807,"name":"Sandbox Test Company"}}]`)
	b.ReportAllocs()
	for b.Loop() {
		m, err := d.Find("GET", u)
		if err != nil {
			b.Fatal(err)
		}
		if vs := c.CheckResponse(m, 200, header, body); len(vs) > 0 {
			b.Fatal(vs)
		}
	}
}

// BenchmarkFind matches a request among Twilio's 197 operations.
func BenchmarkFind(b *testing.B) {
	d, err := openapi.LoadFile(context.Background(), descriptions[1].file)
	if err != nil {
		b.Fatal(err)
	}
	u := &url.URL{Path: "/2010-04-01/Accounts/AC123/Messages/SM456.json"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Find("GET", u); err != nil {
			b.Fatal(err)
		}
	}
}
