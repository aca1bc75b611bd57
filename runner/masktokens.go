package runner

import (
	"bytes"

	"github.com/tidwall/gjson"
)

// tokenFields are the members of an OAuth 2.0 token response (RFC 6749
// section 5.1, OpenID Connect) that hold credentials.
var tokenFields = []string{"access_token", "refresh_token", "id_token"}

// addTokenResponse masks the tokens of a response body that is a JSON
// object with access_token, refresh_token or id_token string members, such
// as a token endpoint's answer, whether or not a step captures them: a
// refresh token nobody captured is still a credential.
func (m *masker) addTokenResponse(body []byte) {
	if !bytes.Contains(body, []byte("_token")) || !gjson.ValidBytes(body) {
		return
	}
	doc := gjson.ParseBytes(body)
	if !doc.IsObject() {
		return
	}
	for _, f := range tokenFields {
		if v := doc.Get(f); v.Type == gjson.String {
			m.add(v.Str)
		}
	}
}
