package exchange

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"reflect"
	"testing"
)

func TestHeader(t *testing.T) {
	h := Header{{"X-R", "a"}, {"Accept", "*/*"}, {"x-r", "b"}}
	if got := h.Values("X-r"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("Values = %q, want [a b]", got)
	}
	if h.Get("ACCEPT") != "*/*" || h.Get("none") != "" || !h.Has("x-R") || h.Has("none") {
		t.Errorf("Get/Has on %v", h)
	}
	h.Set("x-r", "c")
	if want := (Header{{"X-R", "c"}, {"Accept", "*/*"}}); !reflect.DeepEqual(h, want) {
		t.Errorf("Set = %v, want %v (in place of the first, the others removed)", h, want)
	}
	h.Del("accept")
	h.Add("New", "1")
	if want := (Header{{"X-R", "c"}, {"New", "1"}}); !reflect.DeepEqual(h, want) {
		t.Errorf("Del, Add = %v, want %v", h, want)
	}
	hh := Header{{"x-api-key", "1"}, {"X-Api-Key", "2"}}.HTTP()
	if !reflect.DeepEqual(hh, http.Header{"x-api-key": {"1"}, "X-Api-Key": {"2"}}) {
		t.Errorf("HTTP() = %v, want the names as written", hh)
	}
}

func TestHeaderJSON(t *testing.T) {
	for _, tt := range []struct{ in string }{
		{`[{"name":"B","value":"2"},{"name":"A","value":"1"},{"name":"B","value":"3"}]`},
		{`{"B":["2","3"],"A":["1"]}`}, // as recordings of earlier versions hold it
	} {
		var h Header
		if err := json.Unmarshal([]byte(tt.in), &h); err != nil {
			t.Fatal(err)
		}
		if h.Get("A") != "1" || !reflect.DeepEqual(h.Values("B"), []string{"2", "3"}) {
			t.Errorf("Unmarshal(%s) = %v", tt.in, h)
		}
	}
}

// TestEncodeMultipart checks the encoding against mime/multipart's reader:
// parts in order, each with its own header fields.
func TestEncodeMultipart(t *testing.T) {
	parts := []Part{
		{Header: Header{{"Content-Disposition", ContentDisposition("doc", `a "b".png`)}, {"Content-Type", "image/png"}}},
		{Header: Header{{"Content-Disposition", ContentDisposition("meta", "")}, {"Content-Type", "application/json"}, {"X-Part", "1"}}},
	}
	body := EncodeMultipart("b0und", parts, [][]byte{[]byte("\x89PNG"), []byte(`{"x":1}`)})
	_, params, err := mime.ParseMediaType(MultipartContentType("b0und"))
	if err != nil {
		t.Fatal(err)
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for i, want := range []struct{ name, file, ct, content string }{
		{"doc", `a "b".png`, "image/png", "\x89PNG"},
		{"meta", "", "application/json", `{"x":1}`},
	} {
		p, err := r.NextPart()
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		data, _ := io.ReadAll(p)
		if p.FormName() != want.name || p.FileName() != want.file || p.Header.Get("Content-Type") != want.ct || string(data) != want.content {
			t.Errorf("part %d = %s %q %s %q, want %+v", i, p.FormName(), p.FileName(), p.Header.Get("Content-Type"), data, want)
		}
	}
	if _, err := r.NextPart(); err != io.EOF {
		t.Errorf("after the parts: %v, want EOF", err)
	}
}

func TestFileContentType(t *testing.T) {
	for name, want := range map[string]string{"a.PNG": "image/png", "x.json": "application/json", "y.txt": "text/plain", "z.bin": "application/octet-stream", "noext": "application/octet-stream"} {
		if got := FileContentType(name); got != want {
			t.Errorf("FileContentType(%q) = %q, want %q", name, got, want)
		}
	}
}
