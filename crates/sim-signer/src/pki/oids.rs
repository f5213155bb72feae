//! Object identifiers used by the certificates, CMS structures and timestamps.

use const_oid::ObjectIdentifier as Oid;

pub(crate) const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
pub(crate) const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
pub(crate) const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");

pub(crate) const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
pub(crate) const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
pub(crate) const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
pub(crate) const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
pub(crate) const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
pub(crate) const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
pub(crate) const SIGNATURE_TIME_STAMP_TOKEN: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.14");
pub(crate) const TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");

pub(crate) const COUNTRY: Oid = Oid::new_unwrap("2.5.4.6");
pub(crate) const ORGANIZATION: Oid = Oid::new_unwrap("2.5.4.10");
pub(crate) const ORGANIZATIONAL_UNIT: Oid = Oid::new_unwrap("2.5.4.11");
pub(crate) const ORGANIZATION_IDENTIFIER: Oid = Oid::new_unwrap("2.5.4.97");
pub(crate) const COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
pub(crate) const SURNAME: Oid = Oid::new_unwrap("2.5.4.4");
pub(crate) const GIVEN_NAME: Oid = Oid::new_unwrap("2.5.4.42");
pub(crate) const SERIAL_NUMBER: Oid = Oid::new_unwrap("2.5.4.5");
pub(crate) const EMAIL_ADDRESS: Oid = Oid::new_unwrap("1.2.840.113549.1.9.1");

pub(crate) const KP_TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");
pub(crate) const QC_STATEMENTS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.3");
/// ETSI EN 319 412-5: the certificate is an EU qualified certificate.
pub(crate) const QC_COMPLIANCE: Oid = Oid::new_unwrap("0.4.0.1862.1.1");
/// ETSI EN 319 412-5: the private key resides in a qualified signature creation device.
pub(crate) const QC_SSCD: Oid = Oid::new_unwrap("0.4.0.1862.1.4");
/// ETSI EN 319 412-5: certificate type statement.
pub(crate) const QC_TYPE: Oid = Oid::new_unwrap("0.4.0.1862.1.6");
/// ETSI EN 319 412-5: certificate for electronic signatures.
pub(crate) const QC_TYPE_ESIGN: Oid = Oid::new_unwrap("0.4.0.1862.1.6.1");
/// ETSI EN 319 411-2 policy QCP-n-qscd (qualified certificate, natural person, key in a QSCD).
pub(crate) const POLICY_QCP_N_QSCD: Oid = Oid::new_unwrap("0.4.0.194112.1.2");

// The simulator's own policies live under IANA's enterprise number reserved for documentation
// (32473, RFC 5612) so they can never be mistaken for a real Trust Service Provider's.
/// Certificate policy of the simulated one-use signer certificates.
pub(crate) const POLICY_SIMULATED_ONE_SHOT: Oid = Oid::new_unwrap("1.3.6.1.4.1.32473.1.1");
/// Policy under which the simulated TSA issues timestamps.
pub(crate) const POLICY_SIMULATED_TSA: Oid = Oid::new_unwrap("1.3.6.1.4.1.32473.1.2");
