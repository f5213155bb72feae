//! The desk's domain: flows as state machines, request journal, keyring vault, settings, safe output, verification.
