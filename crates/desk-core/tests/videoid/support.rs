//! A desk and an in-process optimizer-sim for the VideoID flows: the customer's side of an
//! eIDAS identification through the simulator's `/_sim/videoid/...` calls, evidences with real
//! image files, a recording, and the webhook receiver wired one way or the other.

#[allow(dead_code)]
#[path = "../classic/support.rs"]
pub mod common;

pub use common::{SANDBOX_TOKEN, assert_externally_valid};
use desk_core::customer::CustomerDraft;
use desk_core::events::DeskEvent;
use desk_core::evidences::EvidencesInput;
use desk_core::flow::{
    FlowId, OutputChoice, RaoApproval, RaoAuthInput, TokenChoice, VideoIdInput, VideoIdKind,
};
use desk_core::settings::{LayoutPreference, SettingKey};
use desk_core::{Desk, StatusFollowing};
use optimizer_sim::config::WebhookFormat;
use optimizer_sim::{SimConfig, SimHandle, Simulator};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The practice RAO's id on the simulator.
pub const RAO_ID: &str = "972";
/// The simulator's RA configured for external identifications.
pub const EXTERNAL_RA: &str = "9998";

/// How webhooks reach the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Webhooks {
    /// No receiver: the desk only reads the status back.
    Off,
    /// The receiver runs; the desk sends its URL where the API takes one (legacy VideoID
    /// create, classic asynchronous create).
    DeskSends,
    /// The receiver runs and the simulator's RA-configured URL points at it (how current
    /// Optimizers reach it).
    RaConfigured,
}

pub struct Setup {
    pub layout: LayoutPreference,
    pub webhooks: Webhooks,
    pub format: WebhookFormat,
    pub following: StatusFollowing,
    /// `DeskOptions::webhook_url`: where the desk tells the Optimizer to call.
    pub advertised: Option<url::Url>,
    pub async_mode: bool,
}

impl Setup {
    /// Polling only, quick reads.
    pub fn polling(layout: LayoutPreference) -> Setup {
        Setup {
            layout,
            webhooks: Webhooks::Off,
            format: WebhookFormat::Current,
            following: quick(),
            advertised: None,
            async_mode: false,
        }
    }
}

/// Reads that start at 50 ms and never wait more than half a second.
pub fn quick() -> StatusFollowing {
    StatusFollowing {
        first_poll: Duration::from_millis(50),
        max_poll: Duration::from_millis(500),
        webhook_grace: Duration::from_millis(200),
        signing_limit: Duration::from_secs(60),
    }
}

/// So slow that only a webhook can make the desk read the status in a test's time.
pub fn webhook_only() -> StatusFollowing {
    StatusFollowing {
        first_poll: Duration::from_secs(3600),
        max_poll: Duration::from_secs(3600),
        webhook_grace: Duration::from_secs(3600),
        signing_limit: Duration::from_secs(7200),
    }
}

pub struct Bench {
    pub sim: SimHandle,
    pub desk: Desk,
    pub dir: tempfile::TempDir,
    pub events: Arc<Mutex<Vec<DeskEvent>>>,
    pub layout: LayoutPreference,
    pub receiver: Option<SocketAddr>,
}

impl Bench {
    pub async fn start(setup: Setup) -> Bench {
        desk_core::install_crypto_provider();
        let listen = (setup.webhooks != Webhooks::Off).then(free_address);
        let config = SimConfig {
            seed: Some(5),
            webhook_format: setup.format,
            webhook_backoff: Duration::from_millis(50),
            webhook_url: match (setup.webhooks, listen) {
                (Webhooks::RaConfigured, Some(addr)) => {
                    Some(format!("http://{addr}/oneshot-desk/webhook"))
                }
                _ => None,
            },
            ..SimConfig::default()
        };
        let sim = Simulator::start(config).await.expect("simulator starts");
        let dir = tempfile::tempdir().unwrap();
        let following = setup.following.clone();
        let advertised = setup.advertised.clone();
        let (desk, events) =
            common::open_desk_with(dir.path(), &sim.base_url(), setup.layout, |options| {
                options.following = following;
                options.webhook_url = advertised;
            });
        desk.set_setting_text(SettingKey::RaoId, RAO_ID.into())
            .await
            .unwrap();
        if let Some(addr) = listen {
            desk.set_setting_text(SettingKey::VideoidWebhookListen, addr.to_string())
                .await
                .unwrap();
        }
        if setup.async_mode {
            desk.set_setting_text(SettingKey::VideoidAsyncMode, "true".into())
                .await
                .unwrap();
        }
        let receiver = desk.start_webhook_receiver().await.unwrap();
        assert_eq!(receiver, listen);
        Bench {
            sim,
            desk,
            dir,
            events,
            layout: setup.layout,
            receiver,
        }
    }

    pub fn output(&self) -> PathBuf {
        self.dir.path().join("signed")
    }

    /// The customer as the employee knows them before the identification: phone and email.
    pub fn customer(kind: VideoIdKind) -> CustomerDraft {
        CustomerDraft {
            email: "marta.ruiz@example.com".into(),
            mobile_phone_number: "+34 622 333 444".into(),
            registration_authority: (kind == VideoIdKind::External).then(|| EXTERNAL_RA.into()),
            ..CustomerDraft::default()
        }
    }

    pub fn documents(&self, count: usize) -> Vec<PathBuf> {
        let docs = self.dir.path().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        (1..=count)
            .map(|i| {
                let path = docs.join(format!("mandate {i}.pdf"));
                std::fs::write(&path, common::pdf(&format!("Mandate {i}"))).unwrap();
                path
            })
            .collect()
    }

    pub fn input(&self, kind: VideoIdKind, documents: usize) -> VideoIdInput {
        VideoIdInput {
            kind,
            customer: Self::customer(kind),
            evidences: None,
            video: None,
            documents: self.documents(documents),
            output: OutputChoice::Exactly(self.output()),
            signing: None,
            appearance: None,
            token: TokenChoice::Default,
            practice: true,
        }
    }

    /// Evidences with `images` of the four images as real PNG files.
    pub fn evidences(&self, images: usize) -> EvidencesInput {
        let mut evidences: EvidencesInput = serde_json::from_value(serde_json::json!({
            "ocr_data": {"given_name": "Marta", "surname_1": "Ruiz", "surname_2": "Soler",
                         "serial_number": "12345678Z", "id_document_type": "IDC",
                         "id_document_country": "ES"},
            "security_checks": {"otp_validation": true, "documents_match": true,
                                "data_integrity": true, "document_notcopy": true,
                                "document_notexpired": true, "document_notunderage": true,
                                "liveliness": true},
            "similarity_level": 87,
            "acceptance": {"description": "User Accepted Terms and Conditions and Privacy Policy",
                           "url-doc-privacypolicy": "https://idp.example.com/privacy",
                           "url-doc-termsconditions": "https://idp.example.com/terms",
                           "url-web-videoid": "https://idp.example.com/videoid",
                           "ip": "186.0.91.53", "user-agent": "Mozilla/5.0 (X11; Linux x86_64)",
                           "date": 1622823879708i64}
        }))
        .unwrap();
        let slots = [
            &mut evidences.images.document_front,
            &mut evidences.images.document_rear,
            &mut evidences.images.document_photo,
            &mut evidences.images.document_owner,
        ];
        for (i, slot) in slots.into_iter().enumerate().take(images) {
            let path = self.dir.path().join(format!("evidence-{i}.png"));
            std::fs::write(&path, common::png()).unwrap();
            *slot = Some(path);
        }
        evidences
    }

    /// A recording: an MP4 `ftyp` box, then an `mdat` box of `size` bytes of varied content.
    /// The simulator stores recordings without decoding them, so no real video is needed.
    pub fn video(&self, size: usize) -> PathBuf {
        let mut bytes = Vec::with_capacity(size + 64);
        bytes.extend(32u32.to_be_bytes());
        bytes.extend(b"ftypisom");
        bytes.extend(512u32.to_be_bytes());
        bytes.extend(b"isomiso2avc1mp41");
        bytes.extend(((size + 8) as u32).to_be_bytes());
        bytes.extend(b"mdat");
        let mut state = 0x2545_f491_4f6c_dd1du64;
        while bytes.len() < size + 40 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes.extend(state.to_le_bytes());
        }
        let path = self.dir.path().join("session.mp4");
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// The RAO's approval with the sandbox token (the RAO's id comes from `rao.id`).
    pub fn approval() -> RaoApproval {
        RaoApproval {
            auth: RaoAuthInput::Token(TokenChoice::Value(SANDBOX_TOKEN.to_string().into())),
            rao_id: None,
        }
    }

    /// The customer's side of an eIDAS identification: `complete`, `incomplete` or `fail`.
    pub async fn customer_does(&self, pk: u64, action: &str) {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let body = if action == "complete" {
            serde_json::json!({"given_name": "Marta", "surname_1": "Ruiz", "surname_2": "Soler",
                               "serial_number": "12345678Z", "id_document_type": "IDC",
                               "id_document_country": "ES"})
        } else {
            serde_json::json!({})
        };
        let answer = client
            .post(format!(
                "{}/_sim/videoid/{pk}/{action}",
                self.sim.base_url()
            ))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_success(),
            "{action}: {}",
            answer.status()
        );
    }

    /// The simulator's webhook deliveries (`GET /_sim/webhooks`).
    pub async fn deliveries(&self) -> Vec<serde_json::Value> {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let log: serde_json::Value = client
            .get(format!("{}/_sim/webhooks", self.sim.base_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        log["deliveries"].as_array().cloned().unwrap_or_default()
    }

    pub fn client(&self) -> oneshot_client::Client {
        let mode = match self.layout {
            LayoutPreference::Legacy => oneshot_client::LayoutMode::Legacy,
            _ => oneshot_client::LayoutMode::Current,
        };
        oneshot_client::Client::builder(&self.sim.base_url())
            .layout(mode)
            .build()
            .unwrap()
    }

    pub async fn status(&self, pk: u64) -> String {
        self.client()
            .get_request(oneshot_client::RequestPk(pk))
            .await
            .unwrap()
            .status
            .as_str()
            .to_string()
    }

    pub async fn remote_documents(&self, pk: u64) -> usize {
        match self
            .client()
            .list_documents(oneshot_client::RequestPk(pk))
            .await
        {
            Ok(list) => list.len(),
            Err(error) if error.code() == oneshot_client::ErrorCode::DocumentNotFound => 0,
            Err(error) => panic!("{error:?}"),
        }
    }

    pub fn steps(&self, id: FlowId, name: &str) -> usize {
        let journal = desk_core::journal::Journal::open(&self.desk.paths().journal_file()).unwrap();
        journal
            .steps(id)
            .unwrap()
            .iter()
            .filter(|s| s.step == name)
            .count()
    }

    pub fn events(&self) -> Vec<DeskEvent> {
        self.events.lock().unwrap().clone()
    }
}

/// A free loopback port (the simulator must know the receiver's address before the desk runs).
fn free_address() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}
