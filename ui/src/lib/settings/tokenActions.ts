import { commands, type RaoTokenInfo } from "../bindings";
import { unwrap } from "../ipc";
import { entryOf, originKind, textValue } from "./model";
import { resetSetting, saveSetting, settings } from "./store.svelte";

/**
 * Choosing and forgetting RAO tokens. desk-core signs with `rao.default_token_label` when it is
 * set, else with the keyring's default token; so the window keeps the two in step unless IT
 * locked the setting.
 */
const KEY = "rao.default_token_label";

/** Makes `label` the token flows use. */
export async function useToken(label: string): Promise<void> {
  await unwrap(commands.tokenSetDefault(label));
  const setting = entryOf(settings().entries, KEY);
  if (setting && !setting.locked && setting.value !== null && setting.value !== label) {
    await saveSetting(KEY, label);
  }
}

/** Creates a token from the RAO's credentials and, when asked, makes it the one in use. */
export async function createToken(input: {
  label: string;
  username: string;
  password: string;
  pin: string;
  makeDefault: boolean;
}): Promise<RaoTokenInfo> {
  const created = await unwrap(
    commands.tokenCreate({
      label: input.label.trim(),
      username: input.username.trim(),
      password: input.password,
      pin: input.pin,
      environment: null,
      makeDefault: input.makeDefault,
    }),
  );
  if (input.makeDefault) await useToken(created.label);
  return created;
}

/**
 * Forgets a token here (and on the signing server when asked). A setting naming it is undone:
 * back to IT's choice when this computer had changed it, else cleared, so a token that still
 * exists is used.
 */
export async function forgetToken(label: string, deleteOnOptimizer: boolean): Promise<void> {
  await unwrap(commands.tokenForget(label, deleteOnOptimizer));
  const setting = entryOf(settings().entries, KEY);
  if (!setting || setting.locked || setting.value !== label) return;
  if (originKind(setting) === "user") await resetSetting(KEY);
  // An empty value unsets it even when IT wrote it, so the keyring's default applies again.
  if (textValue(settings().entries, KEY) === label) await saveSetting(KEY, "");
}
