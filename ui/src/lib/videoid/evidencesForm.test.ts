import { describe, expect, it } from "vitest";
import {
  emptyEvidencesForm,
  evidenceIssueKey,
  firstEvidenceIssue,
  localTimeToInstant,
  missingImages,
  similarityValue,
  toEvidences,
  visibleEvidenceIssue,
} from "./evidencesForm";

describe("evidences form", () => {
  it("sends empty optional fields as unset and the checks as entered", () => {
    const form = emptyEvidencesForm();
    form.ocr.given_name = "Ana";
    form.checks.liveliness = true;
    form.similarity = " 87 ";
    const evidences = toEvidences(form);
    expect(evidences.ocr_data.given_name).toBe("Ana");
    expect(evidences.ocr_data.surname_2).toBeNull();
    expect(evidences.security_checks.liveliness).toBe(true);
    expect(evidences.security_checks.otp_validation).toBe(false);
    expect(evidences.similarity_level).toBe(87);
    expect(evidences.acceptance.accepted_at).toBeNull();
  });

  it("reads the similarity only as a whole number", () => {
    expect(similarityValue("100")).toBe(100);
    expect(similarityValue("high")).toBeNull();
    expect(similarityValue("8.5")).toBeNull();
    expect(similarityValue("")).toBeNull();
  });

  it("turns the local acceptance time into an instant", () => {
    expect(localTimeToInstant("")).toBeNull();
    expect(localTimeToInstant("not a time")).toBeNull();
    expect(localTimeToInstant("2026-01-02 10:30")).toMatch(/^2026-01-0[12]T\d\d:30:00.000Z$/);
    expect(localTimeToInstant("2026-01-02T10:30")).toBe(localTimeToInstant("2026-01-02 10:30"));
    expect(localTimeToInstant("2026-02-30 10:30")).toBeNull();
    expect(localTimeToInstant("02/01/2026 10:30")).toBeNull();
  });

  it("shows a problem once the field was left or sending was tried", () => {
    const issues = [{ field: "acceptance.ip", code: "evidences.ip" }];
    const form = emptyEvidencesForm();
    expect(visibleEvidenceIssue("acceptance.ip", issues, form)).toBeNull();
    expect(
      visibleEvidenceIssue("acceptance.ip", issues, { ...form, touched: ["acceptance.ip"] }),
    ).toBe("evidences.ip");
    expect(firstEvidenceIssue([...issues, { field: "ocr_data.surname_1", code: "x" }])).toBe(
      "ocr_data.surname_1",
    );
    expect(evidenceIssueKey("evidences.similarity_range")).toBe("videoid.issues.similarity_range");
    expect(evidenceIssueKey("evidences.novel")).toBe("videoid.issues.other");
  });

  it("lists the images still missing", () => {
    const form = emptyEvidencesForm();
    form.images.document_front = "/tmp/front.jpg";
    expect(missingImages(form)).toEqual(["document_rear", "document_photo", "document_owner"]);
  });
});
