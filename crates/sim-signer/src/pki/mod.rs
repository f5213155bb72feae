//! Keys, certificates and CMS structures of the simulated trust service provider.

pub(crate) mod certs;
pub(crate) mod cms_sign;
mod ess;
mod extensions;
pub(crate) mod keys;
pub(crate) mod names;
pub(crate) mod oids;
pub(crate) mod tsa;
