package convert

import (
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"
)

// harMultipartParams reads the fields and files of a multipart body that a
// HAR file recorded as text only (as callsheet's own --har does), using
// the boundary of its MIME type.
func harMultipartParams(pd *HARPost) ([]HARParam, error) {
	_, params, err := mime.ParseMediaType(pd.MimeType)
	if err != nil || params["boundary"] == "" {
		return nil, fmt.Errorf("multipart body without a boundary in %q", pd.MimeType)
	}
	mr := multipart.NewReader(strings.NewReader(pd.Text), params["boundary"])
	var out []HARParam
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("multipart body: %w", err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, fmt.Errorf("multipart body: part %q: %w", p.FormName(), err)
		}
		hp := HARParam{Name: p.FormName(), FileName: p.FileName(), ContentType: p.Header.Get("Content-Type")}
		if hp.FileName == "" {
			hp.Value, hp.ContentType = string(data), ""
		}
		out = append(out, hp)
	}
}
