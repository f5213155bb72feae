import { describe, expect, it } from "vitest";
import {
  emptyCustomerForm,
  firstInvalidField,
  issueTextKey,
  toDraft,
  touch,
  visibleIssue,
} from "./customerForm";

const issues = [
  { field: "email", code: "customer.email" },
  { field: "given_name", code: "customer.required" },
];

describe("customer form", () => {
  it("starts empty with the API's ID document defaults", () => {
    const form = emptyCustomerForm();
    expect(form.values.given_name).toBe("");
    expect(form.values.id_document_type).toBe("IDC");
    expect(form.values.id_document_country).toBe("ES");
    expect(form.submitted).toBe(false);
  });

  it("leaves empty optional fields unset so settings apply", () => {
    const form = emptyCustomerForm();
    form.values.given_name = "Ana";
    form.values.registration_authority = "  ";
    const draft = toDraft(form.values);
    expect(draft.given_name).toBe("Ana");
    expect(draft.registration_authority).toBeNull();
    expect(draft.profile).toBeNull();
    expect(draft.surname_2).toBeNull();
    expect(draft.id_document_type).toBe("IDC");
  });

  it("hides a field's problem while it is first typed", () => {
    const form = emptyCustomerForm();
    expect(visibleIssue("email", issues, form)).toBeNull();
  });

  it("shows a field's problem once the field was left", () => {
    const form = touch(emptyCustomerForm(), "email");
    expect(visibleIssue("email", issues, form)).toBe("customer.email");
    expect(visibleIssue("given_name", issues, form)).toBeNull();
  });

  it("shows every problem once continuing was tried", () => {
    const form = { ...emptyCustomerForm(), submitted: true };
    expect(visibleIssue("given_name", issues, form)).toBe("customer.required");
    expect(visibleIssue("surname_1", issues, form)).toBeNull();
  });

  it("touches a field once", () => {
    const once = touch(emptyCustomerForm(), "email");
    expect(touch(once, "email")).toBe(once);
  });

  it("finds the first wrong field in form order", () => {
    expect(firstInvalidField(issues)).toBe("given_name");
    expect(firstInvalidField([])).toBeNull();
  });

  it("words known codes by their reason and the rest generically", () => {
    expect(issueTextKey("customer.phone_prefix")).toBe("flow.issues.phone_prefix");
    expect(issueTextKey("customer.something_new")).toBe("flow.issues.other");
  });
});
