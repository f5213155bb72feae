import type { RaoTokenInfo } from "../bindings";

/**
 * Which RAO token the desk signs with, and the checks of the "new token" form. desk-core picks
 * `rao.default_token_label` when it is set, else the token marked default in the keyring index.
 */

export interface TokenInUse {
  /** The label of the token flows will use, if it is saved here. */
  label: string | null;
  /** A label the settings name but this computer has no token for (IT preset it). */
  missing: string | null;
}

export function tokenInUse(
  saved: readonly RaoTokenInfo[],
  settingLabel: string | null,
): TokenInUse {
  if (settingLabel) {
    const found = saved.some((token) => token.label === settingLabel);
    return found ? { label: settingLabel, missing: null } : { label: null, missing: settingLabel };
  }
  return { label: saved.find((token) => token.is_default)?.label ?? null, missing: null };
}

export interface NewTokenForm {
  label: string;
  username: string;
  password: string;
  pin: string;
}

export type TokenField = keyof NewTokenForm;

/** Problems of the form, field by field (catalog keys under `tokens.problems.`). */
export function checkNewToken(
  form: NewTokenForm,
  saved: readonly RaoTokenInfo[],
): Partial<Record<TokenField, string>> {
  const problems: Partial<Record<TokenField, string>> = {};
  const label = form.label.trim();
  if (label === "") problems.label = "required";
  else if ([...label].length > 128) problems.label = "tooLong";
  else if (saved.some((token) => token.label === label)) problems.label = "labelTaken";
  if (form.username.trim() === "") problems.username = "required";
  if (form.password === "") problems.password = "required";
  if (form.pin === "") problems.pin = "required";
  return problems;
}
