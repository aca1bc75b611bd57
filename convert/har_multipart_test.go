package convert

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/callsheet/callsheet/collections"
	"github.com/callsheet/callsheet/exchange"
)

// TestHARMultipartRoundTrip exports a multipart exchange the way run --har
// records it (body as text, no params) and imports it back: the fields
// and files must survive, with the secret field in a secret variable.
func TestHARMultipartRoundTrip(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("grant_type", "authorization_code")
	mw.WriteField("client_secret", "s3cr3t")
	fw, err := mw.CreateFormFile("receipt", "receipt.txt")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte("paid"))
	mw.Close()
	x := HARItem{Exchange: exchange.Exchange{
		Start: time.Unix(0, 0),
		Request: &exchange.Request{Method: "POST", URL: "http://h/oauth/token",
			Header: exchange.Header{{Name: "Content-Type", Value: mw.FormDataContentType()}}, Body: body.Bytes(), BodySize: int64(body.Len())},
		Response: &exchange.Response{Status: 200, Body: []byte(`{}`), Size: 2},
	}}
	har, err := ExportHAR([]HARItem{x}, "dev")
	if err != nil {
		t.Fatal(err)
	}
	im, err := ImportHAR("token", har, HAROptions{})
	if err != nil {
		t.Fatalf("ImportHAR error = %v", err)
	}
	out := string(im.Files[0].Data)
	if _, err := collections.Parse("token.yaml", im.Files[0].Data, collections.Options{}); err != nil {
		t.Fatalf("Parse(imported) error = %v\n%s", err, out)
	}
	for _, want := range []string{"multipart:", "grant_type: authorization_code", `client_secret: "{{ client_secret }}"`, "receipt:\n        file: receipt.txt", "secrets: [client_secret]"} {
		if !strings.Contains(out, want) {
			t.Errorf("imported HAR lacks %q:\n%s", want, out)
		}
	}

	// A body that cannot be read is reported, not dropped in silence.
	bad := strings.ReplaceAll(string(har), "boundary=", "boundary=x")
	im, err = ImportHAR("token", []byte(bad), HAROptions{})
	if err != nil {
		t.Fatalf("ImportHAR(bad boundary) error = %v", err)
	}
	if len(im.Notes) == 0 || !strings.Contains(string(im.Files[0].Data), "the body could not be read") {
		t.Errorf("unreadable multipart body not reported: notes %q\n%s", im.Notes, im.Files[0].Data)
	}
}
