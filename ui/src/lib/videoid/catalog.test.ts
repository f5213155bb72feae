import { describe, expect, it } from "vitest";
import type { FlowState } from "../bindings";
import { catalogs, textAt } from "../i18n/catalog";
import { LANGUAGES } from "../i18n/index.svelte";
import {
  ACCEPTANCE_FIELDS,
  EVIDENCE_IMAGES,
  OCR_FIELDS,
  SECURITY_CHECKS,
  evidenceIssueKey,
} from "./evidencesForm";
import { VIDEO_STEPS } from "./steps";

/**
 * The VideoID screens and the requests list build keys from values (a state, a status, an
 * activity, an error code): every value the desk can send must have its words in every language.
 */
const STATES: FlowState[] = [
  "draft",
  "video_pending",
  "video_incomplete",
  "video_error",
  "video_review",
  "approved",
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
  "refused",
];
const REMOTE = [
  "CREATED",
  "VIDEOPENDING",
  "VIDEOINCOMPLETE",
  "VIDEOERROR",
  "VIDEOREVIEW",
  "ENROLLREADY",
  "CANCELLED",
  "ISSUED",
];
/** Every error code the VideoID screens can meet beyond the classic flow's. */
const ERROR_CODES = [
  "videoid.not_enabled",
  "videoid.registration_authority_not_found",
  "videoid.reason_missing",
  "videoid.reason_invalid",
  "videoid.no_link",
  "videoid.not_external",
  "videoid.not_performed",
  "evidences.invalid",
  "evidences.missing",
  "video.empty",
  "video.unsupported_type",
  "rao.no_id",
  "rao.invalid_credentials",
  "rao.incomplete_credentials",
  "webhook.bind_failed",
  "webhook.no_address",
  "customer.invalid",
  "input.unreadable",
  "input.changed",
  "flow.no_documents",
  "files.open_failed",
  "files.missing",
  "optimizer.unreachable",
];
const ISSUES = [
  "evidences.required",
  "evidences.text",
  "evidences.email",
  "evidences.phone",
  "evidences.document_type",
  "evidences.country",
  "evidences.similarity_range",
  "evidences.ip",
  "evidences.url",
  "evidences.time",
  "evidences.time_format",
  "evidences.image_type",
  "evidences.image_too_large",
  "evidences.image_unreadable",
];

function keys(): string[] {
  return [
    ...VIDEO_STEPS.flatMap((step) => [`videoid.steps.${step}`, `videoid.titles.${step}`]),
    ...STATES.map((state) => `requests.states.${state}`),
    ...REMOTE.map((status) => `videoid.remote.${status}`),
    ...["classic", "videoid_eidas", "videoid_external"].map((kind) => `requests.kinds.${kind}`),
    ...["videoid_eidas", "videoid_external"].map((kind) => `videoid.kinds.${kind}`),
    ...["polling", "webhook", "answer"].map((source) => `videoid.status.source.${source}`),
    ...["video_incomplete", "video_error"].flatMap((state) => [
      `videoid.identification.${state}.title`,
      `videoid.identification.${state}.eidasLead`,
      `videoid.identification.${state}.externalLead`,
    ]),
    ...EVIDENCE_IMAGES.flatMap((image) => [
      `videoid.evidences.images.${image}`,
      `videoid.evidences.imageDialog.${image}`,
    ]),
    ...[...OCR_FIELDS, ...ACCEPTANCE_FIELDS, "similarity_level"].map(
      (field) => `videoid.evidences.fields.${field}`,
    ),
    ...SECURITY_CHECKS.map((check) => `videoid.evidences.checks.${check}`),
    ...ISSUES.map(evidenceIssueKey),
    ...ERROR_CODES.flatMap((code) => [`errors.${code}.title`, `errors.${code}.action`]),
  ];
}

describe("VideoID words", () => {
  it.each(LANGUAGES)("has every built key in %s", (language) => {
    const catalog = catalogs[language] ?? {};
    const missing = keys().filter((key) => typeof textAt(catalog, key) !== "string");
    expect(missing).toEqual([]);
  });

  it("words every evidence problem by its own text", () => {
    for (const issue of ISSUES) expect(evidenceIssueKey(issue)).not.toBe("videoid.issues.other");
  });
});
