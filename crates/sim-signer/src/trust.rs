//! The simulated trust service provider: CA, TSA and the signing operations.

use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rsa::pkcs8::EncodePrivateKey;

use crate::hash_request::HashSignRequest;
use crate::identity::credential_from_der;
use crate::pem_bundle;
use crate::pki::certs::{self, Credential};
use crate::pki::cms_sign::{DetachedSignature, SignedAttributes};
use crate::pki::keys;
use crate::pki::tsa::TimeStampAuthority;
use crate::{PdfSignOptions, SignedPdfInfo, SignerError, SignerIdentity, SignerSubject};

/// File in the data directory holding CA and TSA certificates and PKCS#8 keys.
const BUNDLE_FILE: &str = "trust-service.pem";
/// The CA certificate alone, for configuring validators (public).
const CA_FILE: &str = "ca-certificate.pem";

/// A throw-away certification authority with its time-stamping authority.
///
/// `Send + Sync`: share it behind an `Arc`. Key generation (~0.3 s per signer) and signing are
/// CPU and file work; async callers should run them on a blocking thread.
pub struct TrustService {
    ca: Credential,
    tsa: TimeStampAuthority,
    /// Only seeds are drawn under the lock, so concurrent issuances do not queue behind each
    /// other's key generation while a seeded service still hands out a reproducible sequence.
    rng: Mutex<ChaCha20Rng>,
}

impl std::fmt::Debug for TrustService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustService")
            .field("ca", &self.ca.subject().to_string())
            .field("tsa", &self.tsa.credential.subject().to_string())
            .finish_non_exhaustive()
    }
}

impl TrustService {
    /// Creates a new CA (RSA 3072) and TSA (RSA 2048). With a seed, keys, serial numbers and the
    /// signer keys issued later are reproducible (certificate dates still follow the clock).
    pub fn generate(seed: Option<u64>) -> Result<Self, SignerError> {
        let mut rng = keys::new_rng(seed);
        let now = SystemTime::now();
        let ca_key = keys::generate_key(&mut rng, keys::CA_KEY_BITS)?;
        let ca = certs::issue_ca(&mut rng, ca_key, now)?;
        let tsa_key = keys::generate_key(&mut rng, keys::LEAF_KEY_BITS)?;
        let tsa = certs::issue_tsa(&mut rng, &ca, tsa_key, now)?;
        Ok(Self::assemble(ca, tsa, rng))
    }

    /// Loads the CA and TSA persisted in `dir` (file `trust-service.pem`), or creates and
    /// persists them, so a restarted simulator keeps its CA. Also (re)writes
    /// `ca-certificate.pem`, the trust root for validators. The seed only matters when creating
    /// and for the signer keys issued afterwards.
    pub fn load_or_create(dir: &Path, seed: Option<u64>) -> Result<Self, SignerError> {
        let fail = |what: &str, e: std::io::Error| {
            SignerError::Persistence(format!("{what} {}: {e}", dir.display()))
        };
        std::fs::create_dir_all(dir).map_err(|e| fail("cannot create", e))?;
        let path = dir.join(BUNDLE_FILE);
        let service = match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_bundle(&text, seed)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let created = Self::generate(seed)?;
                // Another process may have created one meanwhile: the first one written wins,
                // so every user of the directory ends up with the same CA.
                match pem_bundle::write_private_file_new(&path, &created.bundle()) {
                    Ok(()) => created,
                    Err(pem_bundle::NewFileError::Exists) => {
                        let text =
                            std::fs::read_to_string(&path).map_err(|e| fail("cannot read", e))?;
                        Self::from_bundle(&text, seed)?
                    }
                    Err(pem_bundle::NewFileError::Other(e)) => return Err(e),
                }
            }
            Err(e) => return Err(fail("cannot read", e)),
        };
        pem_bundle::write_file(&dir.join(CA_FILE), &service.ca_certificate_pem())?;
        Ok(service)
    }

    fn assemble(ca: Credential, tsa: Credential, mut rng: ChaCha20Rng) -> Self {
        let mut serial_base = [0u8; 8];
        rng.fill_bytes(&mut serial_base);
        TrustService {
            tsa: TimeStampAuthority::new(tsa, ca.clone(), serial_base),
            ca,
            rng: Mutex::new(rng),
        }
    }

    fn bundle(&self) -> String {
        let ca_key = self
            .ca
            .key
            .to_pkcs8_der()
            .expect("an RSA key always encodes as PKCS#8");
        let tsa_key = self
            .tsa
            .credential
            .key
            .to_pkcs8_der()
            .expect("an RSA key always encodes as PKCS#8");
        pem_bundle::encode(&[
            ("CERTIFICATE", &self.ca.certificate_der),
            ("PRIVATE KEY", ca_key.as_bytes()),
            ("CERTIFICATE", &self.tsa.credential.certificate_der),
            ("PRIVATE KEY", tsa_key.as_bytes()),
        ])
    }

    fn from_bundle(text: &str, seed: Option<u64>) -> Result<Self, SignerError> {
        let blocks = pem_bundle::decode(text)?;
        let labels: Vec<&str> = blocks.iter().map(|b| b.label.as_str()).collect();
        if labels != ["CERTIFICATE", "PRIVATE KEY", "CERTIFICATE", "PRIVATE KEY"] {
            return Err(SignerError::Persistence(format!(
                "{BUNDLE_FILE} must hold the CA certificate and key, then the TSA certificate and key; found {labels:?}"
            )));
        }
        let ca = credential_from_der(&blocks[0].der, &blocks[1].der)?;
        let tsa = credential_from_der(&blocks[2].der, &blocks[3].der)?;
        if ca.certificate.tbs_certificate.issuer != ca.certificate.tbs_certificate.subject
            || tsa.certificate.tbs_certificate.issuer != ca.certificate.tbs_certificate.subject
        {
            return Err(SignerError::Persistence(format!(
                "{BUNDLE_FILE}: the first certificate must be the self-signed CA that issued the second"
            )));
        }
        Ok(Self::assemble(ca, tsa, keys::new_rng(seed)))
    }

    /// The CA certificate, PEM encoded (the trust root validators need).
    pub fn ca_certificate_pem(&self) -> String {
        pem_bundle::encode(&[("CERTIFICATE", &self.ca.certificate_der)])
    }

    /// The CA certificate, DER encoded.
    pub fn ca_certificate_der(&self) -> &[u8] {
        &self.ca.certificate_der
    }

    /// The TSA certificate, PEM encoded (issued by the CA; extendedKeyUsage timeStamping).
    pub fn tsa_certificate_pem(&self) -> String {
        pem_bundle::encode(&[("CERTIFICATE", &self.tsa.credential.certificate_der)])
    }

    /// Issues a fresh one-use signer certificate (RSA 2048, valid 7 days) for `subject`.
    pub fn issue_signer(&self, subject: &SignerSubject) -> Result<SignerIdentity, SignerError> {
        // Validate before spending time on a key.
        crate::pki::names::signer_name(subject)?;
        let mut seed = [0u8; 32];
        self.rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .fill_bytes(&mut seed);
        let mut rng = ChaCha20Rng::from_seed(seed);
        let key = keys::generate_key(&mut rng, keys::LEAF_KEY_BITS)?;
        let (credential, common_name) =
            certs::issue_signer(&mut rng, &self.ca, subject, key, SystemTime::now())?;
        Ok(SignerIdentity::new(credential, common_name))
    }

    /// Signs the PDF at `input` (PAdES B-B, or B-T with `options.timestamp`) into `output`, as an
    /// incremental update: `output` starts with the exact bytes of `input`.
    pub fn sign_pdf(
        &self,
        signer: &SignerIdentity,
        input: &Path,
        output: &Path,
        options: &PdfSignOptions,
    ) -> Result<SignedPdfInfo, SignerError> {
        let context = crate::pdf::sign::SigningContext {
            signer: &signer.credential,
            signer_name: signer.common_name(),
            ca: &self.ca,
            tsa: &self.tsa,
        };
        crate::pdf::sign::sign_file(&context, input, output, options)
    }

    /// Signs an uploaded digest; returns a detached DER CMS SignedData (`.p7m`) with the signer
    /// and CA certificates.
    pub fn sign_digest(
        &self,
        signer: &SignerIdentity,
        request: &HashSignRequest,
    ) -> Result<Vec<u8>, SignerError> {
        let signed_attributes = if request.add_auth_attributes {
            let mut extra = request.other_attributes()?;
            if request.add_signing_time {
                extra.push(crate::pki::cms_sign::signing_time_attribute(
                    SystemTime::now(),
                )?);
            }
            SignedAttributes::Present(extra)
        } else {
            SignedAttributes::Absent
        };
        DetachedSignature {
            signer: &signer.credential,
            chain: &[&self.ca],
            algorithm: request.algorithm,
            content_digest: &request.digest,
            signed_attributes,
            timestamp: None,
        }
        .to_der()
    }
}
