"""Validates a detached CMS signature (.p7m) over CONTENT with pyHanko; prints JSON.

usage: validate_cms.py CA_PEM P7M CONTENT
"""
import asyncio
import json
import sys

from asn1crypto import cms
from pyhanko.keys import load_cert_from_pemder
from pyhanko.sign.validation import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext


async def main(ca_path, p7m_path, content_path):
    ca = load_cert_from_pemder(ca_path)
    with open(p7m_path, "rb") as f:
        info = cms.ContentInfo.load(f.read())
    with open(content_path, "rb") as f:
        content = f.read()
    vc = ValidationContext(trust_roots=[ca], allow_fetching=False, revocation_mode="soft-fail")
    status = await async_validate_detached_cms(content, info["content"], signer_validation_context=vc)
    print(json.dumps({
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "signer": status.signing_cert.subject.human_friendly,
    }))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
