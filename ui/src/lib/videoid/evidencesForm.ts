/**
 * An external identification's evidences as the employee enters them: the four ID images (as
 * files), the data read from the document, the provider's security checks, the similarity and
 * the record of the customer's acceptance. Checked by desk-core (`evidencesValidate`) field by
 * field; a missing image is not an error (the identification stays incomplete until it comes).
 */
import type { EvidencesInput, FieldIssue } from "../bindings";

export const EVIDENCE_IMAGES = [
  "document_front",
  "document_rear",
  "document_photo",
  "document_owner",
] as const;
export type EvidenceImage = (typeof EVIDENCE_IMAGES)[number];

export const OCR_FIELDS = [
  "given_name",
  "surname_1",
  "surname_2",
  "serial_number",
  "id_document_type",
  "id_document_country",
] as const;
export type OcrField = (typeof OCR_FIELDS)[number];

/** ID document kinds the evidences' schema allows. */
export const OCR_DOCUMENT_TYPES = ["IDC", "PAS", "PNO", "TIN"] as const;

export const SECURITY_CHECKS = [
  "otp_validation",
  "documents_match",
  "data_integrity",
  "document_notcopy",
  "document_notexpired",
  "document_notunderage",
  "liveliness",
] as const;
export type SecurityCheck = (typeof SECURITY_CHECKS)[number];

export const ACCEPTANCE_FIELDS = [
  "description",
  "terms_url",
  "privacy_policy_url",
  "ip",
  "user_agent",
  "accepted_at",
] as const;
export type AcceptanceField = (typeof ACCEPTANCE_FIELDS)[number];

/** Every field path desk-core may name, in the order the form shows them. */
export const EVIDENCE_FIELD_ORDER: readonly string[] = [
  ...EVIDENCE_IMAGES.map((image) => `images.${image}`),
  ...OCR_FIELDS.map((field) => `ocr_data.${field}`),
  "similarity_level",
  ...ACCEPTANCE_FIELDS.map((field) => `acceptance.${field}`),
];

export interface EvidencesFormState {
  images: Record<EvidenceImage, string | null>;
  ocr: Record<OcrField, string>;
  checks: Record<SecurityCheck, boolean>;
  /** As typed (a number 0–100 when valid). */
  similarity: string;
  acceptance: Record<AcceptanceField, string>;
  /** Fields the employee left at least once (paths as desk-core names them). */
  touched: string[];
  /** Sending was tried: every message shows. */
  submitted: boolean;
}

export const DEFAULT_ACCEPTANCE = "User Accepted Terms and Conditions and Privacy Policy";

export function emptyEvidencesForm(): EvidencesFormState {
  return {
    images: {
      document_front: null,
      document_rear: null,
      document_photo: null,
      document_owner: null,
    },
    ocr: {
      given_name: "",
      surname_1: "",
      surname_2: "",
      serial_number: "",
      id_document_type: "IDC",
      id_document_country: "ES",
    },
    checks: {
      otp_validation: false,
      documents_match: false,
      data_integrity: false,
      document_notcopy: false,
      document_notexpired: false,
      document_notunderage: false,
      liveliness: false,
    },
    similarity: "",
    acceptance: {
      description: DEFAULT_ACCEPTANCE,
      terms_url: "",
      privacy_policy_url: "",
      ip: "",
      user_agent: "",
      accepted_at: "",
    },
    touched: [],
    submitted: false,
  };
}

/**
 * A local time as typed (`2025-06-04 10:15`, the employee's time zone) as an RFC 3339 instant,
 * or `null` when empty or not a time. Only this one shape is read, so no browser guesses.
 */
export function localTimeToInstant(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute] = match.map(Number);
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined
  ) {
    return null;
  }
  const time = new Date(year, month - 1, day, hour, minute);
  if (time.getMonth() !== month - 1 || time.getDate() !== day || hour > 23 || minute > 59) {
    return null;
  }
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** The similarity as typed: a whole number, or `null` (desk-core then says it is required). */
export function similarityValue(text: string): number | null {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return null;
  return Number.parseInt(trimmed, 10);
}

/** What desk-core receives. Empty optional fields are left unset. */
export function toEvidences(form: EvidencesFormState): EvidencesInput {
  const optional = (value: string) => (value.trim() === "" ? null : value.trim());
  return {
    images: { ...form.images },
    ocr_data: {
      given_name: form.ocr.given_name,
      surname_1: form.ocr.surname_1,
      surname_2: optional(form.ocr.surname_2),
      mobile_phone_number: null,
      email: null,
      serial_number: form.ocr.serial_number,
      id_document_type: optional(form.ocr.id_document_type),
      id_document_country: optional(form.ocr.id_document_country),
    },
    security_checks: { ...form.checks },
    similarity_level: similarityValue(form.similarity),
    acceptance: {
      description: optional(form.acceptance.description),
      terms_url: optional(form.acceptance.terms_url),
      privacy_policy_url: optional(form.acceptance.privacy_policy_url),
      videoid_url: null,
      ip: optional(form.acceptance.ip),
      user_agent: optional(form.acceptance.user_agent),
      accepted_at: localTimeToInstant(form.acceptance.accepted_at),
    },
  };
}

/** The code of the problem to show under `field` now, if any. */
export function visibleEvidenceIssue(
  field: string,
  issues: readonly FieldIssue[],
  form: Pick<EvidencesFormState, "touched" | "submitted">,
): string | null {
  if (!form.submitted && !form.touched.includes(field)) return null;
  return issues.find((issue) => issue.field === field)?.code ?? null;
}

/** The first field (in form order) with a problem: where the cursor goes when sending fails. */
export function firstEvidenceIssue(issues: readonly FieldIssue[]): string | null {
  return (
    EVIDENCE_FIELD_ORDER.find((field) => issues.some((issue) => issue.field === field)) ?? null
  );
}

/** The images not given yet (the identification stays incomplete without them). */
export function missingImages(form: EvidencesFormState): EvidenceImage[] {
  return EVIDENCE_IMAGES.filter((image) => form.images[image] === null);
}

/** The catalog key of an evidence problem's words (`evidences.ip` → `videoid.issues.ip`). */
export function evidenceIssueKey(code: string): string {
  const known = [
    "required",
    "text",
    "email",
    "phone",
    "document_type",
    "country",
    "similarity_range",
    "ip",
    "url",
    "time",
    "time_format",
    "image_type",
    "image_too_large",
    "image_unreadable",
  ];
  const reason = code.startsWith("evidences.") ? code.slice("evidences.".length) : code;
  return `videoid.issues.${known.includes(reason) ? reason : "other"}`;
}
