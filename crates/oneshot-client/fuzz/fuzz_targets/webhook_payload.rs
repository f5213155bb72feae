//! Any bytes as a webhook body posted to the desk's receiver (desk-core `webhooks.rs` hands
//! the body to `parse_webhook`): a status change or a `webhook.invalid` error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(error) = oneshot_client::parse_webhook(data) {
        // Every refusal carries the stable code the receiver answers with.
        assert_eq!(error.code().as_str(), "webhook.invalid");
    }
});
