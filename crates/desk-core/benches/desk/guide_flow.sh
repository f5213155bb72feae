#!/usr/bin/env bash
# The classic flow as the Optimizer's guide writes it (reference D.1), one curl call after the
# other: the baseline of the desk's whole-flow benchmark.
# Usage: guide_flow.sh BASE_URL TOKEN DOCS_DIR FRONT_PNG REAR_PNG OUT_DIR
set -euo pipefail
base="$1"
api="$base/oneshot/api/v1"
token="$2"
docs="$3"
front="$4"
rear="$5"
out="$6"
c() { curl -sS -f --noproxy '*' "$@"; }

# 2. Create the request (customer data and ID photos).
pk=$(c --form-string given_name=Ana --form-string surname_1=García \
  --form-string surname_2=López --form-string email=ana.garcia@example.com \
  --form-string mobile_phone_number=+34612345678 --form-string id_document_type=IDC \
  --form-string id_document_country=ES --form-string serial_number=12345678Z \
  --form-string "token=$token" -F "document_front=@$front" -F "document_rear=@$rear" \
  "$api/create" | jq -r '.details.pk')

# 3. Upload the PDFs, all in one call (file, file2, ... up to 10).
parts=()
n=0
for pdf in "$docs"/*.pdf; do
  n=$((n + 1))
  key=file
  [ "$n" -gt 1 ] && key="file$n"
  parts+=(-F "$key=@$pdf;type=application/pdf")
done
uids=$(c "${parts[@]}" "$api/document/$pk" |
  jq -r '.detail | if type == "array" then .[].uid else .uid end')

# 4. The service contract, shown with the documents.
c -o "$out/contract.pdf" "$api/contract/$pk/"

# 5. Send the code to the customer's phone; the customer reads it (the simulator's phone).
c -o /dev/null -H 'Content-Type: application/json' -d '{}' "$api/otp/$pk"
otp=$(c "$base/_sim/sms/$pk" | jq -r '.otp')

# 6. Sign.
c -o /dev/null -H 'Content-Type: application/json' -d "{\"secret\":\"$otp\"}" "$api/sign/$pk"

# 7. Retrieve every signed document and the signed contract.
n=0
for uid in $uids; do
  n=$((n + 1))
  c -o "$out/signed $n.pdf" "$api/document/$pk/$uid?document_type=signed"
done
c -o "$out/contract signed.pdf" "$api/contract/$pk/"

# 8. Clean up the Optimizer.
c -o /dev/null -X DELETE "$api/document/$pk"
