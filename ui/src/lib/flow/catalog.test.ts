import { describe, expect, it } from "vitest";
import type { AttentionKind, FlowState } from "../bindings";
import { catalogs, textAt } from "../i18n/catalog";
import { LANGUAGES } from "../i18n/index.svelte";
import { COMMUNICATION_LANGUAGES, CUSTOMER_FIELDS, DOCUMENT_TYPES, PROFILES } from "./customerForm";
import { FLOW_STEPS } from "./steps";

/**
 * The wizard builds some keys from values (a state, an activity, an error code), which the
 * catalog test cannot see in the source: every value the desk can send must have its words.
 */
const STATES: FlowState[] = [
  "draft",
  "created",
  "uploaded",
  "contract_fetched",
  "reviewed",
  "otp_sent",
  "signed",
  "retrieved",
  "verified",
  "cleaned",
  "done",
  "cancelled",
];
/** desk-core's `set_activity` names, plus the wizard's own fallback. */
const ACTIVITIES = [
  "working",
  "creating",
  "uploading",
  "downloading_contract",
  "sending_code",
  "signing",
  "downloading",
  "saving",
  "verifying",
  "cleaning",
  "cancelling",
];
const ATTENTION: AttentionKind[] = [
  "outcome_unknown",
  "create_outcome_unknown",
  "step_failed",
  "verification_failed",
  "interrupted",
];
/** Every error code the classic flow can meet (desk-core's and oneshot-client's READMEs). */
const ERROR_CODES = [
  "otp.invalid",
  "otp.too_soon",
  "otp.empty",
  "otp.invalid_status",
  "otp.outcome_unknown",
  "otp.unknown_delivery",
  "request.already_signed",
  "request.not_found",
  "request.missing_field",
  "request.invalid_phone",
  "request.invalid_email",
  "request.invalid_document_type",
  "request.invalid_country",
  "request.invalid_fields",
  "request.approval_failed",
  "request.environment_unavailable",
  "request.unexpected_status",
  "document.not_found",
  "document.unsupported_type",
  "document.too_many",
  "customer.invalid",
  "image.unsupported_type",
  "image.too_large",
  "image.unreadable",
  "image.not_found",
  "pdf.not_a_pdf",
  "pdf.empty",
  "pdf.encrypted",
  "pdf.damaged",
  "pdf.too_large",
  "input.unreadable",
  "input.changed",
  "input.invalid",
  "optimizer.unreachable",
  "optimizer.timeout",
  "optimizer.not_configured",
  "optimizer.not_recognised",
  "optimizer.bad_response",
  "optimizer.server_error",
  "optimizer.unexpected_status",
  "optimizer.unsupported_operation",
  "optimizer.redirect_refused",
  "optimizer.misconfigured",
  "tls.untrusted_certificate",
  "tls.hostname_mismatch",
  "tls.handshake_failed",
  "proxy.unreachable",
  "proxy.auth_required",
  "rao.no_token",
  "rao.invalid_credentials",
  "rao.incomplete_credentials",
  "rao.not_found",
  "rao.permission_denied",
  "billing.invalid",
  "billing.no_username",
  "sign.missing_secret",
  "sign.appearance_invalid",
  "sign.countersignature_invalid",
  "flow.busy",
  "flow.wrong_state",
  "flow.no_documents",
  "flow.too_many_documents",
  "flow.create_unknown",
  "flow.already_signed",
  "flow.customer_missing",
  "flow.working_folder",
  "flow.no_request",
  "flow.unsupported_kind",
  "flow.internal",
  "flow.appearance_invalid",
  "verify.failed",
  "download.truncated",
  "output.not_a_directory",
  "output.not_writable",
  "output.no_space",
  "output.write_failed",
  "output.read_failed",
  "output.source_failed",
  "output.invalid_pattern",
  "output.names_exhausted",
  "io.file",
  "json.rejected",
  "config.invalid",
  "journal.busy",
  "journal.database",
  "journal.corrupt",
  "journal.request_not_found",
  "journal.newer_schema",
  "vault.unavailable",
  "vault.locked",
  "vault.unknown_token",
  "vault.secret_missing",
  "practice.off",
  "practice.no_code",
  "practice.unavailable",
  "files.missing",
  "files.open_failed",
  "app.dialog_failed",
  "cancelled",
];

const families: [string, readonly string[]][] = [
  ["flow.states", STATES],
  ["flow.activity", ACTIVITIES],
  ["flow.attention", ATTENTION],
  ["flow.steps", FLOW_STEPS],
  ["flow.titles", FLOW_STEPS],
  ["flow.customer.fields", CUSTOMER_FIELDS],
  ["flow.customer.documentTypes", DOCUMENT_TYPES],
  ["flow.customer.languages", COMMUNICATION_LANGUAGES],
  ["flow.customer.profiles", PROFILES],
  ["flow.photos.slots", ["front", "rear", "selfie"]],
  ["flow.photos.dialogTitle", ["front", "rear", "selfie"]],
  ["flow.code.delivery", ["sms", "whatsapp"]],
  ["stepper", ["done", "current", "upcoming"]],
  [
    "flow.issues",
    [
      "required",
      "text",
      "email",
      "phone_prefix",
      "phone",
      "document_type",
      "country",
      "id_number",
      "id_number_letter",
      "language",
      "profile",
      "other",
    ],
  ],
];

describe.each(LANGUAGES)("the %s catalog", (language) => {
  const catalog = catalogs[language] ?? {};

  it.each(families)("words every value of %s", (prefix, values) => {
    const missing = values.filter((value) => !textAt(catalog, `${prefix}.${value}`));
    expect(missing).toEqual([]);
  });

  it("words every error the flow can meet, with what to do", () => {
    const missing = ERROR_CODES.filter(
      (code) =>
        !textAt(catalog, `errors.${code}.title`) || !textAt(catalog, `errors.${code}.action`),
    );
    expect(missing).toEqual([]);
  });
});
