/**
 * The customer form's state: what was typed, which fields were left, whether the employee
 * tried to continue. Problems come from desk-core (`customerValidate`) on every change, but a
 * field's message only shows once the field was left or continuing was tried, so nobody is
 * scolded while still typing for the first time.
 */
import type { CustomerDraft, FieldIssue } from "../bindings";

/** The form's fields, in the order they appear (and are focused when wrong). */
export const CUSTOMER_FIELDS = [
  "given_name",
  "surname_1",
  "surname_2",
  "email",
  "mobile_phone_number",
  "id_document_type",
  "id_document_country",
  "serial_number",
  "communication_language",
  "registration_authority",
  "profile",
] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

/** ID document kinds the Optimizer accepts; the national ID card is the API's default. */
export const DOCUMENT_TYPES = ["IDC", "PAS", "PNO", "TIN", "CI", "CE"] as const;
/** Languages of the Trust Service Provider's messages to the customer. */
export const COMMUNICATION_LANGUAGES = ["ES", "EN", "PL"] as const;
/** Certificate profiles: qualified and advanced signature. */
export const PROFILES = ["PFnubeQAFCiudadano", "PFnubeNC"] as const;

export type CustomerValues = Record<CustomerField, string>;

export interface CustomerFormState {
  values: CustomerValues;
  /** Fields the employee has left at least once. */
  touched: CustomerField[];
  /** The employee tried to continue: every message shows. */
  submitted: boolean;
}

/** An empty form; the ID document defaults are the API's (national ID card, Spain). */
export function emptyCustomerForm(): CustomerFormState {
  const values = Object.fromEntries(CUSTOMER_FIELDS.map((field) => [field, ""])) as CustomerValues;
  values.id_document_type = "IDC";
  values.id_document_country = "ES";
  return { values, touched: [], submitted: false };
}

/**
 * The draft sent to desk-core. Empty optional fields are left unset so the desk's settings
 * (registration authority, profile, language) or the Optimizer's defaults apply.
 */
export function toDraft(values: CustomerValues): CustomerDraft {
  const optional = (value: string) => (value.trim() === "" ? null : value);
  return {
    given_name: values.given_name,
    surname_1: values.surname_1,
    surname_2: optional(values.surname_2),
    email: values.email,
    mobile_phone_number: values.mobile_phone_number,
    id_document_type: optional(values.id_document_type),
    id_document_country: optional(values.id_document_country),
    serial_number: values.serial_number,
    communication_language: optional(values.communication_language),
    registration_authority: optional(values.registration_authority),
    profile: optional(values.profile),
  };
}

/** The form with `field` marked as left. */
export function touch(state: CustomerFormState, field: CustomerField): CustomerFormState {
  if (state.touched.includes(field)) return state;
  return { ...state, touched: [...state.touched, field] };
}

/** The code of the problem to show under `field` now, if any. */
export function visibleIssue(
  field: CustomerField,
  issues: readonly FieldIssue[],
  state: Pick<CustomerFormState, "touched" | "submitted">,
): string | null {
  if (!state.submitted && !state.touched.includes(field)) return null;
  return issues.find((issue) => issue.field === field)?.code ?? null;
}

/** The first field (in form order) with a problem: where the cursor goes when continuing fails. */
export function firstInvalidField(issues: readonly FieldIssue[]): CustomerField | null {
  return CUSTOMER_FIELDS.find((field) => issues.some((issue) => issue.field === field)) ?? null;
}

/** The catalog key of a field problem's words (`customer.phone_prefix` → `flow.issues.phone_prefix`). */
export function issueTextKey(code: string): string {
  const known = [
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
  ];
  const reason = code.startsWith("customer.") ? code.slice("customer.".length) : code;
  return `flow.issues.${known.includes(reason) ? reason : "other"}`;
}
