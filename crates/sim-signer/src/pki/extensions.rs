//! Certificate extensions the x509-cert builder does not offer in the form needed here.

use const_oid::{AssociatedOid, ObjectIdentifier};
use der::{Any, Encode, Length, Sequence, Writer};
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::ext::{AsExtension, Extension};
use x509_cert::name::Name;

use super::oids;

/// extendedKeyUsage marked critical, as RFC 3161 §2.3 requires for a TSA certificate.
pub(crate) struct CriticalExtendedKeyUsage(pub(crate) ExtendedKeyUsage);

impl AssociatedOid for CriticalExtendedKeyUsage {
    const OID: ObjectIdentifier = ExtendedKeyUsage::OID;
}

impl Encode for CriticalExtendedKeyUsage {
    fn encoded_len(&self) -> der::Result<Length> {
        self.0.encoded_len()
    }

    fn encode(&self, writer: &mut impl Writer) -> der::Result<()> {
        self.0.encode(writer)
    }
}

impl AsExtension for CriticalExtendedKeyUsage {
    fn critical(&self, _subject: &Name, _extensions: &[Extension]) -> bool {
        true
    }
}

/// `QCStatement ::= SEQUENCE { statementId OID, statementInfo ANY OPTIONAL }` (RFC 3739).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct QcStatement {
    statement_id: ObjectIdentifier,
    #[asn1(optional = "true")]
    statement_info: Option<Any>,
}

/// The ETSI EN 319 412-5 statements of an EU qualified certificate for e-signatures:
/// QcCompliance, QcSSCD and QcType = esign.
pub(crate) struct QcStatements(Vec<QcStatement>);

impl QcStatements {
    pub(crate) fn qualified_esign() -> der::Result<Self> {
        let types = Any::encode_from(&vec![oids::QC_TYPE_ESIGN])?;
        Ok(QcStatements(vec![
            QcStatement {
                statement_id: oids::QC_COMPLIANCE,
                statement_info: None,
            },
            QcStatement {
                statement_id: oids::QC_SSCD,
                statement_info: None,
            },
            QcStatement {
                statement_id: oids::QC_TYPE,
                statement_info: Some(types),
            },
        ]))
    }
}

impl AssociatedOid for QcStatements {
    const OID: ObjectIdentifier = oids::QC_STATEMENTS;
}

impl Encode for QcStatements {
    fn encoded_len(&self) -> der::Result<Length> {
        self.0.encoded_len()
    }

    fn encode(&self, writer: &mut impl Writer) -> der::Result<()> {
        self.0.encode(writer)
    }
}

impl AsExtension for QcStatements {
    fn critical(&self, _subject: &Name, _extensions: &[Extension]) -> bool {
        false
    }
}
