//! Any bytes as the Optimizer's answer, decoded into every public response type: a typed
//! error or a value, never a panic, whatever the server sends.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oneshot_client::{
    ErrorCode, ErrorPayload, RequestRecord, RequestStatus, VideoIdCreated, VideoIdRef,
};

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<RequestRecord>(data);
    let _ = serde_json::from_slice::<RequestStatus>(data);
    let _ = serde_json::from_slice::<VideoIdCreated>(data);
    let _ = serde_json::from_slice::<VideoIdRef>(data);
    let _ = serde_json::from_slice::<ErrorCode>(data);
    let _ = serde_json::from_slice::<ErrorPayload>(data);
    // Valid JSON of any shape, as the client sees it after unwrapping the envelope.
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = serde_json::from_value::<RequestRecord>(value.clone());
        let _ = serde_json::from_value::<VideoIdCreated>(value);
    }
});
