//! `videoid`, `videoid-external`, `evidences`, `approve`, `refuse` and `video`: the VideoID
//! flows. The identification is followed until it is ready for the RAO's review; the RAO's
//! decision is asked (or given with --approve); an approved flow signs as `classic` does.

use super::classic::{drive, failure, read_customer, settle, signing_method, stop};
use crate::cli::{
    ApproveArgs, EvidencesArgs, FollowArgs, RaoArgs, RefuseArgs, SigningArgs, VideoArgs,
    VideoIdArgs, VideoIdExternalArgs,
};
use crate::secrets::read_secret;
use crate::{CliResult, Context, Failure, exit};
use desk_core::DeskError;
use desk_core::evidences::EvidencesInput;
use desk_core::flow::{
    FlowId, FlowSnapshot, FlowState, OutputChoice, RaoApproval, RaoAuthInput, StepStatus,
    VideoIdInput, VideoIdKind,
};
use desk_core::journal::FlowKind;
use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::time::{Duration, Instant};

/// What following a VideoID flow needs from the command line.
pub struct Following {
    pub follow: FollowArgs,
    pub rao: RaoArgs,
    pub signing: SigningArgs,
    pub practice: bool,
}

pub async fn videoid(context: &Context, args: VideoIdArgs) -> CliResult {
    let input = input(context, &args, VideoIdKind::Eidas)?;
    let started = context.desk.start_videoid(input).await;
    let snapshot = settle(context, started)?;
    follow(context, snapshot, &following(args)).await
}

pub async fn videoid_external(context: &Context, args: VideoIdExternalArgs) -> CliResult {
    let mut input = input(context, &args.common, VideoIdKind::External)?;
    input.evidences = Some(read_evidences(&args.evidences)?);
    input.video = Some(args.video);
    let started = context.desk.start_videoid(input).await;
    let snapshot = settle(context, started)?;
    follow(context, snapshot, &following(args.common)).await
}

pub async fn evidences(context: &Context, args: EvidencesArgs) -> CliResult {
    let evidences = args.evidences.as_deref().map(read_evidences).transpose()?;
    let provided = context
        .desk
        .provide_evidences(FlowId(args.id), evidences, args.video)
        .await;
    let snapshot = settle(context, provided)?;
    report_identification(context, &snapshot)
}

pub async fn approve(context: &Context, args: ApproveArgs) -> CliResult {
    let id = FlowId(args.id);
    let mut snapshot = current(context, id).await?;
    if !args.documents.is_empty() {
        snapshot = settle(
            context,
            context.desk.set_documents(id, args.documents).await,
        )?;
    }
    let following = Following {
        follow: FollowArgs {
            approve: true,
            ..FollowArgs::default()
        },
        rao: args.rao,
        signing: args.signing,
        practice: args.practice,
    };
    if snapshot.state == FlowState::Approved
        || snapshot.state > FlowState::Approved && !snapshot.finished
    {
        // Approved already (documents were missing, or the work was interrupted): go on.
        return continue_approved(context, snapshot, &following).await;
    }
    if snapshot.state != FlowState::VideoReview {
        return Err(failure(
            context,
            DeskError::new(
                "flow.wrong_state",
                format!(
                    "Flow {id} is {}, not ready for the review",
                    snapshot.state.as_str()
                ),
            ),
        ));
    }
    follow(context, snapshot, &following).await
}

pub async fn refuse(context: &Context, args: RefuseArgs) -> CliResult {
    let id = FlowId(args.id);
    current(context, id).await?;
    let approval = approval(context, &args.rao)?;
    let refused = context.desk.refuse_videoid(id, approval, args.reason).await;
    let snapshot = settle(context, refused)?;
    context.out.outcome(
        &snapshot,
        &format!(
            "flow {}: identification refused, request {} cancelled",
            snapshot.id,
            snapshot.request_pk.unwrap_or_default()
        ),
    );
    Ok(())
}

pub async fn video(context: &Context, args: VideoArgs) -> CliResult {
    let path = context
        .desk
        .download_videoid_video(FlowId(args.id), &args.out)
        .await?;
    context.out.outcome(
        &serde_json::json!({"flow": args.id, "path": path}),
        &format!("Recording saved: {}", path.display()),
    );
    Ok(())
}

/// The flow as it stands on the Optimizer: an identification's status is read back first.
async fn current(context: &Context, id: FlowId) -> Result<FlowSnapshot, Failure> {
    let snapshot = context.desk.flow(id).await?;
    if snapshot.state.is_identification() {
        return settle(context, context.desk.refresh_flow(id).await);
    }
    Ok(snapshot)
}

/// From wherever a VideoID flow stands to the end (or to where the command line was asked to
/// stop).
pub async fn follow(
    context: &Context,
    mut snapshot: FlowSnapshot,
    following: &Following,
) -> CliResult {
    let desk = &context.desk;
    let follow = &following.follow;
    if snapshot.state.is_identification() && snapshot.state != FlowState::VideoReview {
        show_link(context, &snapshot);
        if follow.no_wait || awaits_evidences(&snapshot) {
            return report_identification(context, &snapshot);
        }
        let deadline = follow
            .timeout
            .map(|secs| Instant::now() + Duration::from_secs(secs));
        let external = snapshot.kind == FlowKind::VideoidExternal;
        context.out.info(&format!(
            "Waiting for {} (stop with Ctrl-C; `oneshot-desk-cli resume {}` continues)",
            if external {
                "the Optimizer to take the evidences and the recording"
            } else {
                "the customer's identification"
            },
            snapshot.id
        ));
        while snapshot.state.is_identification() && snapshot.state != FlowState::VideoReview {
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if left.is_some_and(|l| l.is_zero()) {
                return Err(stop(
                    context,
                    &snapshot,
                    "cli.timeout",
                    "The identification was not ready for the review in time",
                ));
            }
            let before = snapshot.state;
            snapshot = settle(
                context,
                desk.wait_for_identification(snapshot.id, left).await,
            )?;
            if awaits_evidences(&snapshot) {
                // Only the employee can complete an external identification.
                return report_identification(context, &snapshot);
            }
            if snapshot.state != before {
                match snapshot.state {
                    FlowState::VideoIncomplete => context.out.info(
                        "The customer left the identification unfinished; waiting for another try",
                    ),
                    FlowState::VideoError => context.out.info(
                        "The identification failed; waiting for another try (or refuse/cancel)",
                    ),
                    _ => {}
                }
            }
        }
    } else if snapshot.state.is_identification() && follow.no_wait {
        return report_identification(context, &snapshot);
    }
    match snapshot.state {
        FlowState::VideoReview => {}
        FlowState::Cancelled | FlowState::Refused => {
            return Err(Failure {
                error: DeskError::new(
                    "videoid.closed",
                    format!(
                        "The identification of flow {} was {} on the Optimizer",
                        snapshot.id,
                        snapshot.state.as_str()
                    ),
                ),
                exit: exit::FAILED,
            });
        }
        _ => return continue_approved(context, snapshot, following).await,
    }
    context.out.info(&format!(
        "The identification of {} is ready for the review (request {}).",
        snapshot.customer_display_name,
        snapshot.request_pk.unwrap_or_default()
    ));
    context
        .out
        .json_line(&serde_json::json!({"type": "review_ready", "flow": snapshot}));
    if follow.stop_at_review {
        return review_stop(context, &snapshot);
    }
    if !follow.approve {
        match ask_decision(context, &snapshot)? {
            Decision::Approve => {}
            Decision::Refuse(reason) => {
                let approval = approval(context, &following.rao)?;
                let refused = desk.refuse_videoid(snapshot.id, approval, reason).await;
                let snapshot = settle(context, refused)?;
                context.out.outcome(
                    &snapshot,
                    &format!("flow {}: identification refused", snapshot.id),
                );
                return Ok(());
            }
            Decision::None => {
                return Err(stop(
                    context,
                    &snapshot,
                    "cli.no_decision",
                    "No decision was given (end of input)",
                ));
            }
        }
    }
    let approval = approval(context, &following.rao)?;
    let approved = desk.approve_videoid(snapshot.id, approval).await;
    let snapshot = settle(context, approved)?;
    context.out.info("The identification is approved.");
    continue_approved(context, snapshot, following).await
}

/// After the approval: the documents, then the classic flow's steps.
async fn continue_approved(
    context: &Context,
    snapshot: FlowSnapshot,
    following: &Following,
) -> CliResult {
    if snapshot.state == FlowState::Approved && snapshot.documents.is_empty() {
        return Err(stop(
            context,
            &snapshot,
            "flow.no_documents",
            "The identification is approved; give the documents to sign with \
             `oneshot-desk-cli approve ID --document FILE`",
        ));
    }
    // A flow started in practice mode stays one: its code comes from the simulator's inbox
    // whichever later command (`approve`, `resume`) takes it to the signing.
    let practice = following.practice || snapshot.practice;
    drive(context, snapshot, &following.signing, practice).await
}

enum Decision {
    Approve,
    Refuse(String),
    None,
}

/// The RAO's decision: `approve`, or `refuse` and the reason, typed at the prompt or read as a
/// line from standard input.
fn ask_decision(context: &Context, snapshot: &FlowSnapshot) -> Result<Decision, Failure> {
    context
        .out
        .json_line(&serde_json::json!({"type": "decision_needed", "flow": snapshot.id}));
    let prompt = "Type `approve`, or `refuse` and the reason: ";
    loop {
        if std::io::stdin().is_terminal() {
            eprint!("{prompt}");
        }
        let Some(line) = read_line()? else {
            return Ok(Decision::None);
        };
        let line = line.trim();
        let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        match word.to_ascii_lowercase().as_str() {
            "approve" => return Ok(Decision::Approve),
            "refuse" if !rest.trim().is_empty() => {
                return Ok(Decision::Refuse(rest.trim().to_string()));
            }
            "" => {}
            _ => context.out.info(prompt),
        }
    }
}

fn read_line() -> Result<Option<String>, Failure> {
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        DeskError::new("cli.input", "Cannot read standard input").with_detail(e.to_string())
    })?;
    Ok((read > 0).then_some(line))
}

/// Stops at the review on purpose: where the flow is and how to go on.
fn review_stop(context: &Context, snapshot: &FlowSnapshot) -> CliResult {
    let text = format!(
        "flow {id}: ready for the review (request {pk})\n  approve: oneshot-desk-cli approve \
         {id}\n  refuse:  oneshot-desk-cli refuse {id} --reason TEXT",
        id = snapshot.id,
        pk = snapshot.request_pk.unwrap_or_default()
    );
    context.out.outcome(snapshot, &text);
    Ok(())
}

/// An external identification that waits for something only the employee can give: it was
/// reported incomplete or failed, or its evidences or recording are not uploaded. (One whose
/// uploads are all done waits for the Optimizer, which may take its time to check them.)
fn awaits_evidences(snapshot: &FlowSnapshot) -> bool {
    if snapshot.kind != FlowKind::VideoidExternal || !snapshot.state.is_identification() {
        return false;
    }
    if matches!(
        snapshot.state,
        FlowState::VideoIncomplete | FlowState::VideoError
    ) {
        return true;
    }
    let Some(video) = &snapshot.videoid else {
        return true;
    };
    video.evidences != StepStatus::Done
        || video
            .video
            .as_ref()
            .is_none_or(|recording| recording.upload != StepStatus::Done)
}

/// An identification left as it stands (--no-wait, or an external one not complete).
fn report_identification(context: &Context, snapshot: &FlowSnapshot) -> CliResult {
    match snapshot.state {
        FlowState::VideoReview => review_stop(context, snapshot),
        _ if awaits_evidences(snapshot) => Err(stop(
            context,
            snapshot,
            "videoid.incomplete",
            &format!(
                "The identification is not complete: give the missing or corrected \
                     evidences with `oneshot-desk-cli evidences {}`",
                snapshot.id
            ),
        )),
        _ => {
            let text = format!(
                "flow {}: identification {} (request {})\n  continue with: oneshot-desk-cli \
                 resume {}",
                snapshot.id,
                snapshot.state.as_str(),
                snapshot.request_pk.unwrap_or_default(),
                snapshot.id
            );
            context.out.outcome(snapshot, &text);
            Ok(())
        }
    }
}

/// The customer's link on standard output, its QR code for the phone's camera on standard
/// error (not in JSON mode: the link is in the flow's events there).
fn show_link(context: &Context, snapshot: &FlowSnapshot) {
    let Some(link) = snapshot.videoid.as_ref().and_then(|v| v.link.clone()) else {
        return;
    };
    context.out.json_line(&serde_json::json!({
        "type": "videoid_link", "flow": snapshot.id,
        "request_pk": snapshot.request_pk, "link": link,
    }));
    context.out.result(&format!(
        "Identification link for the customer (flow {}, request {}): {link}",
        snapshot.id,
        snapshot.request_pk.unwrap_or_default()
    ));
    match desk_core::qr::qr_terminal(&link) {
        Ok(qr) => context.out.info(&qr),
        Err(error) => context
            .out
            .info(&format!("(no QR code: {})", error.message)),
    }
}

fn following(args: VideoIdArgs) -> Following {
    Following {
        follow: args.follow,
        rao: args.rao,
        signing: args.signing,
        practice: args.practice,
    }
}

fn input(
    context: &Context,
    args: &VideoIdArgs,
    kind: VideoIdKind,
) -> Result<VideoIdInput, Failure> {
    Ok(VideoIdInput {
        kind,
        customer: read_customer(&args.customer)?,
        evidences: None,
        video: None,
        documents: args.documents.clone(),
        output: args
            .out
            .clone()
            .map_or(OutputChoice::Settings, OutputChoice::Exactly),
        signing: signing_method(&args.signing),
        appearance: None,
        token: context.token.clone(),
        practice: args.practice,
    })
}

/// The evidences file, its image paths read relative to its folder.
fn read_evidences(path: &Path) -> Result<EvidencesInput, DeskError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        DeskError::new(
            "input.unreadable",
            format!("Cannot read {}", path.display()),
        )
        .with_detail(e.to_string())
    })?;
    let malformed = |detail: String| {
        DeskError::new(
            "evidences.malformed",
            format!("{} is not an evidences JSON object", path.display()),
        )
        .with_detail(detail)
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| malformed(e.to_string()))?;
    if value.get("videoid_data").is_some() {
        // The API's own upload body (images in base64 under `videoid_data`) would otherwise be
        // read as empty evidences, every field reported missing.
        return Err(malformed(
            "this is the Optimizer's upload body; evidences.json names the image files and puts              ocr_data, security_checks and similarity_level at the top (see the README)"
                .into(),
        ));
    }
    let evidences: EvidencesInput =
        serde_json::from_value(value).map_err(|e| malformed(e.to_string()))?;
    let base = std::path::absolute(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    Ok(evidences.resolved_against(&base))
}

/// The RAO's credentials for a decision: `--rao-username` with the password and PIN read as
/// secrets, else the token (`--token`, `--token-label`, the flow's, the default).
fn approval(context: &Context, rao: &RaoArgs) -> Result<RaoApproval, Failure> {
    let auth = match &rao.rao_username {
        Some(username) => {
            let missing = || Failure {
                error: DeskError::new("cli.no_password", "The RAO's password and PIN are needed"),
                exit: exit::USAGE,
            };
            let password = read_secret("RAO password: ")?.ok_or_else(missing)?;
            let pin = read_secret("RAO PIN: ")?.ok_or_else(missing)?;
            RaoAuthInput::Credentials {
                username: username.clone(),
                password,
                pin,
            }
        }
        None => RaoAuthInput::Token(context.token.clone()),
    };
    Ok(RaoApproval {
        auth,
        rao_id: rao.rao_id.clone(),
    })
}
