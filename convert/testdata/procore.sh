# The Procore docs' cURL commands
curl -F grant_type=authorization_code \
  -F client_id=db0d63cfa5ec8f0e \
  -F client_secret=0c5dcbd3fae4bd5b \
  -F code=8b3c7a0d \
  -F redirect_uri=urn:ietf:wg:oauth:2.0:oob \
  -X POST https://login.procore.com/oauth/token

curl -H "Authorization: Bearer $ACCESS_TOKEN" -H "Procore-Company-Id: 1234" \
  https://api.procore.com/rest/v1.0/projects?company_id=1234

curl -sSL --compressed -k -u 'ann:pa ss' --data-urlencode 'q=a b&c' -d n=1 --frobnicate https://example.com/search
