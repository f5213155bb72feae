"""Validates every signature of a PDF with pyHanko; prints one JSON object per signature.

usage: validate_pdf.py CA_PEM PDF
"""
import json
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def main(ca_path, pdf_path):
    ca = load_cert_from_pemder(ca_path)
    results = []
    with open(pdf_path, "rb") as f:
        reader = PdfFileReader(f, strict=False)
        for sig in reader.embedded_signatures:
            vc = ValidationContext(trust_roots=[ca], allow_fetching=False, revocation_mode="soft-fail")
            ts_vc = ValidationContext(trust_roots=[ca], allow_fetching=False, revocation_mode="soft-fail")
            status = validate_pdf_signature(sig, signer_validation_context=vc, ts_validation_context=ts_vc)
            ts = status.timestamp_validity
            results.append({
                "field": sig.field_name,
                "intact": bool(status.intact),
                "valid": bool(status.valid),
                "trusted": bool(status.trusted),
                "coverage": status.coverage.name if status.coverage else None,
                "docmdp_ok": status.docmdp_ok,
                "signer": status.signing_cert.subject.human_friendly,
                "timestamp_trusted": bool(ts.trusted) if ts is not None else None,
                "md_algorithm": status.md_algorithm,
            })
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
