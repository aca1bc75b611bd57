# Calls from the shop API's README.
http :8080/api/items limit==2 Accept:application/json
http POST https://shop.example/api/orders item=book qty:=2 gift:=false \
  Authorization:'Bearer abc.def'
https -f PUT shop.example/api/profile name='Ann Lee' city=Zürich
http --form POST shop.example/api/receipts note=paid file@receipt.txt
http -a ann:s3cret --follow GET shop.example/api/me --timeout 5
