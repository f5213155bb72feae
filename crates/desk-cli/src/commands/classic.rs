//! `classic` and `resume`: the whole flow, with the code read from standard input.

use super::status::describe;
use crate::cli::{ClassicArgs, DeliveryArg, ResumeArgs, SigningArgs};
use crate::secrets::read_secret;
use crate::{CliResult, Context, Failure, exit};
use desk_core::DeskError;
use desk_core::customer::CustomerDraft;
use desk_core::flow::{
    ClassicInput, FlowId, FlowSnapshot, FlowState, IdImages, OutputChoice, ResumeOptions,
    SignAuthInput, SigningMethod,
};
use secrecy::ExposeSecret;

/// Codes accepted at most this many times before the CLI gives up (the flow stays resumable).
const MAX_CODE_ATTEMPTS: u32 = 3;

pub async fn classic(context: &Context, args: ClassicArgs) -> CliResult {
    let customer = read_customer(&args.customer)?;
    let signing = signing_method(&args.signing);
    let input = ClassicInput {
        customer,
        id_images: IdImages {
            front: args.id_front,
            rear: args.id_rear,
            selfie: args.selfie,
        },
        documents: args.documents,
        output: OutputChoice::Exactly(args.out),
        signing,
        appearance: None,
        token: context.token.clone(),
        practice: args.practice,
    };
    let started = context.desk.start_classic(input).await;
    let snapshot = settle(context, started)?;
    if let Some(path) = &snapshot.contract.review_path {
        context.out.info(&format!(
            "The service contract for the review is at {} (a signed copy is saved at the end)",
            path.display()
        ));
    }
    drive(context, snapshot, &args.signing, args.practice).await
}

pub async fn resume(context: &Context, args: ResumeArgs) -> CliResult {
    let id = match args.id {
        Some(id) => FlowId(id),
        None => {
            let unfinished = context.desk.unfinished_flows().await?;
            match unfinished.as_slice() {
                [only] => only.id,
                [] => {
                    return Err(Failure {
                        error: DeskError::new("cli.no_flow", "There is no unfinished flow"),
                        exit: exit::USAGE,
                    });
                }
                several => {
                    let list = several
                        .iter()
                        .map(super::status::summary)
                        .collect::<Vec<_>>()
                        .join("\n");
                    context.out.info(&list);
                    return Err(Failure {
                        error: DeskError::new(
                            "cli.which_flow",
                            "Several flows are unfinished: give the id of the one to resume",
                        ),
                        exit: exit::USAGE,
                    });
                }
            }
        }
    };
    let options = ResumeOptions {
        recreate: args.recreate,
        token: Some(context.token.clone())
            .filter(|t| !matches!(t, desk_core::flow::TokenChoice::Default)),
    };
    let resumed = context.desk.resume(id, options).await;
    let snapshot = settle(context, resumed)?;
    if snapshot.videoid.is_some() {
        let follow = super::videoid::Following {
            follow: args.follow,
            rao: args.rao,
            signing: args.signing,
            practice: args.practice,
        };
        return super::videoid::follow(context, snapshot, &follow).await;
    }
    drive(context, snapshot, &args.signing, args.practice).await
}

/// Turns a flow call's error into the CLI's failure, printing where the flow stands.
pub(crate) fn settle(
    context: &Context,
    result: Result<FlowSnapshot, DeskError>,
) -> Result<FlowSnapshot, Failure> {
    result.map_err(|error| failure(context, error))
}

/// A flow error as the CLI's failure: exit 3 while the flow can go on, else 1.
pub(crate) fn failure(context: &Context, error: DeskError) -> Failure {
    let flow = context.out.last_flow();
    let resumable = flow.as_ref().is_some_and(|f| !f.finished);
    if let Some(flow) = &flow {
        context.out.info(&describe(flow));
        context
            .out
            .json_line(&serde_json::json!({"type": "flow", "flow": flow}));
    }
    Failure {
        error,
        exit: if resumable {
            exit::ATTENTION
        } else {
            exit::FAILED
        },
    }
}

/// From wherever the flow waits for the user, to the end.
pub(crate) async fn drive(
    context: &Context,
    mut snapshot: FlowSnapshot,
    signing: &SigningArgs,
    practice: bool,
) -> CliResult {
    let desk = &context.desk;
    if snapshot.state == FlowState::ContractFetched {
        // Running the command is the employee's confirmation that the customer reviewed the
        // contract and the documents.
        snapshot = settle(context, desk.confirm_review(snapshot.id).await)?;
    }
    let external = match (&signing.ext_unlock_type, &signing.ext_unlock_value) {
        (Some(kind), Some(value)) => Some((kind.clone(), value.clone())),
        _ => None,
    };
    if let Some((unlock_type, unlock_value)) = external {
        if matches!(snapshot.state, FlowState::Reviewed | FlowState::OtpSent) {
            let auth = SignAuthInput::External {
                unlock_type,
                unlock_value: unlock_value.into(),
                customer_code: None,
            };
            snapshot = settle(context, desk.sign(snapshot.id, auth).await)?;
        }
    } else {
        if snapshot.state == FlowState::Reviewed {
            let delivery = signing.delivery.map(|d| match d {
                DeliveryArg::Sms => desk_core::flow::DeliveryMethod::Sms,
                DeliveryArg::Whatsapp => desk_core::flow::DeliveryMethod::Whatsapp,
            });
            snapshot = settle(context, desk.send_otp(snapshot.id, delivery).await)?;
            context.out.info("A code was sent to the customer's phone.");
        }
        let mut attempts = 0;
        while snapshot.state == FlowState::OtpSent {
            attempts += 1;
            if attempts > MAX_CODE_ATTEMPTS {
                return Err(stop(
                    context,
                    &snapshot,
                    "cli.too_many_codes",
                    "Too many wrong codes",
                ));
            }
            let code = if practice {
                desk.practice_code(snapshot.id).await?.code.into()
            } else {
                context
                    .out
                    .json_line(&serde_json::json!({"type": "code_needed", "flow": snapshot.id}));
                match read_secret("Code the customer received: ")? {
                    Some(code) if !code.expose_secret().is_empty() => code,
                    _ => {
                        return Err(stop(
                            context,
                            &snapshot,
                            "cli.no_code",
                            "No code was given (end of input)",
                        ));
                    }
                }
            };
            match desk.sign(snapshot.id, SignAuthInput::Otp(code)).await {
                Ok(signed) => snapshot = signed,
                Err(error) if error.code == "otp.invalid" => {
                    context.out.error(&error);
                    context
                        .out
                        .info("The code is wrong or expired; enter it again.");
                    snapshot = desk.flow(snapshot.id).await?;
                }
                Err(error) => return Err(failure(context, error)),
            }
        }
    }
    if snapshot.state != FlowState::Done {
        return Err(stop(
            context,
            &snapshot,
            "cli.not_finished",
            "The flow did not finish",
        ));
    }
    let files = snapshot.saved_files();
    let mut text = vec![format!(
        "Signed: request {}, {} file(s) saved and verified in {}",
        snapshot.request_pk.unwrap_or_default(),
        files.len(),
        snapshot
            .output_folder
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    )];
    text.extend(files.iter().map(|f| format!("  {}", f.display())));
    context.out.outcome(&snapshot, &text.join("\n"));
    Ok(())
}

pub(crate) fn stop(
    context: &Context,
    snapshot: &FlowSnapshot,
    code: &'static str,
    message: &str,
) -> Failure {
    context.out.info(&describe(snapshot));
    context
        .out
        .json_line(&serde_json::json!({"type": "flow", "flow": snapshot}));
    Failure {
        error: DeskError::new(code, message.to_string()),
        exit: exit::ATTENTION,
    }
}

pub(crate) fn signing_method(args: &SigningArgs) -> Option<SigningMethod> {
    if let Some(kind) = &args.ext_unlock_type {
        return Some(SigningMethod::External {
            unlock_type: kind.clone(),
        });
    }
    args.delivery.map(|d| SigningMethod::Otp {
        delivery: match d {
            DeliveryArg::Sms => "sms".into(),
            DeliveryArg::Whatsapp => "whatsapp".into(),
        },
    })
}

pub(crate) fn read_customer(path: &std::path::Path) -> Result<CustomerDraft, DeskError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        DeskError::new(
            "input.unreadable",
            format!("Cannot read {}", path.display()),
        )
        .with_detail(e.to_string())
    })?;
    serde_json::from_str(&text).map_err(|e| {
        DeskError::new(
            "customer.malformed",
            format!("{} is not a customer JSON object", path.display()),
        )
        .with_detail(e.to_string())
    })
}
